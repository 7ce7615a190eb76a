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

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ReportActivitiesImpl.class);

  /** Copies what the offsite bucket lacks under a scope (relative to the repository prefix). */
  public interface OffsiteCopier {
    void copy(io.lifeboat.config.RepositoryConfig primary,
        io.lifeboat.config.OffsiteConfig offsite, String scope);
  }

  private final StoreFactory stores;
  private final OffsiteCopier offsite;

  public ReportActivitiesImpl(StoreFactory stores) {
    this(stores, null);
  }

  /** @param offsite copies a stored report offsite when the request names an offsite */
  public ReportActivitiesImpl(StoreFactory stores, OffsiteCopier offsite) {
    this.stores = stores;
    this.offsite = offsite;
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
    if (request.offsite() == null || offsite == null) {
      return new StoredReport(jsonKey, mdKey, htmlKey);
    }
    // The run's directory, relative to the prefix: what `offsite sync` copies under reports/.
    String scope = RepositoryLayout.reportKey("", r.kind(), r.workflowId(), r.startedAtMillis(),
        "json");
    scope = scope.substring(0, scope.lastIndexOf('/') + 1);
    try {
      offsite.copy(request.repository(), request.offsite(), scope);
      return new StoredReport(jsonKey, mdKey, htmlKey, true, null);
    } catch (RuntimeException e) {
      // Never the run's failure: the report is stored on the primary, and the next offsite
      // sync copies what the offsite lacks under reports/.
      String problem = e.getMessage() != null ? e.getMessage() : e.toString();
      log.warn("report {} stored, but not copied offsite: {}", jsonKey, problem);
      return new StoredReport(jsonKey, mdKey, htmlKey, false, problem);
    }
  }
}
