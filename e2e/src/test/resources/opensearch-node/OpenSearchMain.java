import java.nio.file.Path;
import java.util.List;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single OpenSearch 2.19 node for the end-to-end tests, run as a source file
 * (`java -cp CLASSPATH OpenSearchMain.java HOME HTTP_PORT TRANSPORT_PORT REPO_ROOT`): HTTP and
 * transport on loopback, single-node discovery, no security plugin, the fs repositories under
 * REPO_ROOT (path.repo). It stops when its standard input closes (the test ended or died), or,
 * with a fifth argument --until-stopped (the local stack's node, launcher/engines.bash, whose
 * stdin is /dev/null), when it is sent SIGTERM.
 */
public class OpenSearchMain {
  static final class TestNode extends Node {
    TestNode(Settings settings) {
      super(InternalSettingsPreparer.prepareEnvironment(settings, java.util.Map.of(), null,
          () -> "lifeboat-test"), List.of(Netty4Plugin.class), true);
    }
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    Settings settings = Settings.builder()
        .put("cluster.name", "lifeboat-test")
        .put("node.name", "lifeboat-test")
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("path.repo", args[3])
        .put("discovery.type", "single-node")
        .put("network.host", "127.0.0.1")
        .put("http.port", args[1])
        .put("transport.port", args[2])
        .put("http.type", "netty4")
        .put("transport.type", "netty4")
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .build();
    Node node = new TestNode(settings);
    node.start();
    System.out.println("lifeboat-test node started");
    System.out.flush();
    if (args.length > 4 && args[4].equals("--until-stopped")) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          node.close();
        } catch (Exception ignored) {
          // exiting anyway
        }
      }));
      Thread.currentThread().join();
    }
    while (System.in.read() >= 0) {
      // until the test closes our stdin
    }
    node.close();
    System.exit(0);
  }
}
