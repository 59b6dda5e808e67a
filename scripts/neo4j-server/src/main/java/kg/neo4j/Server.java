package kg.neo4j;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Minimal Neo4j Community server for development and tests: an embedded
 * database management service with only the Bolt connector on a loopback
 * address, authentication switched on, and the password of user {@code neo4j}
 * set to the one given.
 *
 * <pre>
 * java -cp target/classes:target/lib/* kg.neo4j.Server HOME_DIR PORT [PASSWORD]
 * </pre>
 *
 * The password may instead come from the environment variable
 * {@code NEO4J_PASSWORD} (preferred: it keeps it out of {@code ps}). HOME_DIR is
 * Neo4j's home: databases live in HOME_DIR/data, logs in HOME_DIR/logs; it is
 * reused when it exists. Prints {@code READY bolt://127.0.0.1:PORT} on stdout
 * once Bolt accepts connections; SIGTERM shuts the databases down cleanly.
 */
public final class Server {
    private static final String HOST = "127.0.0.1";

    private Server() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: kg.neo4j.Server HOME_DIR PORT [PASSWORD]  (or NEO4J_PASSWORD in env)");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args.length == 3 ? args[2] : System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            System.err.println("kg.neo4j.Server: no password (give it as 3rd argument or NEO4J_PASSWORD)");
            System.exit(2);
        }

        PrintStream out = System.out;
        long t0 = System.nanoTime();
        Log4jLogProvider userLog = new Log4jLogProvider(out, Level.INFO);

        DatabaseManagementService dbms;
        try {
            dbms = build(home, port, userLog);
        } catch (RuntimeException e) {
            e.printStackTrace(out);
            out.println("FAILED: " + e);
            out.flush();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("STOPPING");
            out.flush();
            try {
                dbms.shutdown();
            } catch (RuntimeException e) {
                e.printStackTrace(out);
            }
            userLog.close();
            out.println("STOPPED");
            out.flush();
            stopped.countDown();
        }, "kg-neo4j-shutdown"));

        try {
            setPassword(dbms, password, out);
            waitForBolt(port, 30_000);
        } catch (Exception e) {
            // Neo4j's non-daemon threads would keep a half-started JVM alive;
            // exit (the shutdown hook closes the databases) so callers see it.
            e.printStackTrace(out);
            out.println("FAILED: " + e);
            out.flush();
            System.exit(1);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.println("READY bolt://" + HOST + ":" + port + " (" + ms + " ms)");
        out.flush();

        // Park the main thread; the shutdown hook does the work on SIGTERM.
        stopped.await();
    }

    private static DatabaseManagementService build(Path home, int port, Log4jLogProvider userLog) {
        return new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(userLog)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Let developers pick short passwords via NEO4J_PASSWORD.
                .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
                // Tests deliberately try wrong passwords; don't lock the user out.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                // Keep memory modest: the machine runs several servers at once.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(128))
                .setConfig(GraphDatabaseSettings.pagecache_warmup_enabled, false)
                // No anonymous usage reports (and no outbound network at all).
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt's shutdown otherwise idles ~10 s in Netty/thread-pool grace
                // periods after the databases are already checkpointed and closed;
                // tests stop and restart the server, so cut those waits short.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .build();
    }

    /**
     * Sets the password of the default admin user {@code neo4j}. On Community
     * the embedded API runs system-database commands with full rights, so
     * ALTER USER works without logging in. Neo4j refuses to "change" a password
     * to the one already set, which happens when a data dir is reused.
     */
    private static void setPassword(DatabaseManagementService dbms, String password, PrintStream out) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            out.println("password of user neo4j set");
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("Old password and new password cannot be the same")) {
                out.println("password of user neo4j unchanged (already set)");
            } else {
                throw e;
            }
        }
    }

    /** Bolt starts with the DBMS, but confirm a TCP client can really connect. */
    private static void waitForBolt(int port, long timeoutMs) throws InterruptedException, IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException("Bolt did not accept connections on " + HOST + ":" + port, e);
                }
                Thread.sleep(100);
            }
        }
    }
}
