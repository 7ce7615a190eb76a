package io.lifeboat.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lifeboat.storage.ObjectStore;
import io.lifeboat.storage.StorageException;
import io.lifeboat.storage.StoreFactory;
import io.lifeboat.repository.RepositoryLayout;
import io.lifeboat.run.ReportActivities;
import io.lifeboat.run.RunReport;
import java.nio.charset.StandardCharsets;

public final class ReportActivitiesImpl implements ReportActivities {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final StoreFactory stores;

  public ReportActivitiesImpl(StoreFactory stores) {
    this.stores = stores;
  }

  @Override
  public StoredReport storeReport(StoreReportRequest request) {
    RunReport r = request.report();
    String prefix = request.repository().prefix();
    String jsonKey = RepositoryLayout.reportKey(prefix, r.kind(), r.workflowId(), r.startedAtMillis(), "json");
    String mdKey = RepositoryLayout.reportKey(prefix, r.kind(), r.workflowId(), r.startedAtMillis(), "md");
    String htmlKey = RepositoryLayout.reportKey(prefix, r.kind(), r.workflowId(), r.startedAtMillis(), "html");
    try {
      ObjectStore store = stores.forRepository(request.repository());
      // Renderings first: the JSON is what `lifeboat report` looks for, so it marks the set done.
      store.put(mdKey, MarkdownReport.render(r).getBytes(StandardCharsets.UTF_8), "text/markdown");
      store.put(htmlKey, HtmlReport.render(r).getBytes(StandardCharsets.UTF_8), "text/html");
      store.put(jsonKey, JSON.writeValueAsBytes(r), "application/json");
    } catch (StorageException e) {
      throw e.kind().failure(e.getMessage());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a run report must serialise", e);
    }
    return new StoredReport(jsonKey, mdKey, htmlKey);
  }
}
