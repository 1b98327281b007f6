package dev.power.embeddedmongo;

import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Dev/test-only MongoDB wire-protocol server (mongo-java-server), oplog on unless {@code --no-oplog}.
 *
 * <pre>
 *   java -jar embedded-mongo.jar [--host 127.0.0.1] [--port N|0] (--memory | --file path.mv)
 *                                [--wire-version N] [--worker-threads N] [--no-stdin-watch]
 *                                [--no-oplog] [--fsync] [--cache-mb N]
 * </pre>
 *
 * {@code --file}: the durable H2 backend ({@link DurableH2Backend}). Every command that changed data is
 * committed to the file before its reply is sent, so a write the client saw acknowledged survives a SIGKILL of
 * this JVM; {@code --fsync} also forces each commit to the device (power loss). No MVStore background thread
 * runs; compaction runs under the same lock as the commands (short steps while writes stream in, longer ones
 * when idle). Documents are stored as BSON.
 *
 * {@code --no-oplog}: no oplog (change streams then fail); every write is otherwise stored twice, since the
 * oplog here is an ordinary collection that is never capped.
 *
 * {@code --worker-threads} defaults to 1: every command then runs on one netty event loop, one at a
 * time. mongo-java-server's backends are not safe for concurrent DDL (e.g. createCollection racing an
 * implicit create by createIndex/insert fails with "Unknown error" / "Document with key ... already
 * existed in ...system.namespaces"), which mongoose triggers at start-up (autoCreate + autoIndex).
 *
 * mongo-java-server 1.47.0 reports maxWireVersion 8 (MongoDB 4.2), which the Node.js driver 7
 * (mongoose 9) refuses ("requires at least 9 (MongoDB 4.4)"). The version only feeds the
 * hello/buildInfo answers, so we report wire version 9 / "4.4.0" by default ({@code --wire-version}).
 *
 * Prints exactly one line {@code EMBEDDED_MONGO_READY port=<port>} to stdout once listening.
 * Everything else (logs, errors) goes to stderr. Exits when stdin reaches EOF (i.e. when the parent
 * process dies), unless {@code --no-stdin-watch} is given; a shutdown hook closes the server and the
 * backend (H2: flushes and closes the MVStore file).
 */
public final class EmbeddedMongo {

    private EmbeddedMongo() {
    }

    public static void main(String[] args) throws Exception {
        // Configure slf4j-simple before any logger is created: warnings only, to stderr.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");

        String host = "127.0.0.1";
        int port = 27017;
        String file = null;
        boolean memory = false;
        boolean watchStdin = true;
        int wireVersion = 9;
        int workerThreads = 1;
        boolean oplog = true;
        boolean fsync = false;
        int cacheMb = 256;

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--host" -> host = requireValue(args, ++i, a);
                case "--port" -> port = Integer.parseInt(requireValue(args, ++i, a));
                case "--memory" -> memory = true;
                case "--file" -> file = requireValue(args, ++i, a);
                case "--no-stdin-watch" -> watchStdin = false;
                case "--no-oplog" -> oplog = false;
                case "--fsync" -> fsync = true;
                case "--cache-mb" -> cacheMb = Integer.parseInt(requireValue(args, ++i, a));
                case "--worker-threads" -> workerThreads = Integer.parseInt(requireValue(args, ++i, a));
                case "--wire-version" -> wireVersion = Integer.parseInt(requireValue(args, ++i, a));
                case "--help", "-h" -> {
                    usage(System.out);
                    return;
                }
                default -> fail("unknown argument: " + a);
            }
        }
        if (memory == (file != null)) {
            fail("exactly one of --memory or --file <path.mv> is required");
        }
        if (port < 0 || port > 65535) {
            fail("invalid --port " + port);
        }

        MongoBackend backend;
        DurableH2Backend durable = null;
        if (memory) {
            backend = new MemoryBackend();
        } else {
            File f = new File(file).getAbsoluteFile();
            File dir = f.getParentFile();
            if (dir != null && !dir.isDirectory() && !dir.mkdirs()) {
                fail("cannot create directory " + dir);
            }
            try {
                durable = DurableH2Backend.open(f.getPath(), cacheMb, 2_000, fsync);
            } catch (RuntimeException e) {
                System.err.println("embedded-mongo: cannot open " + f + ": " + e.getMessage());
                System.err.println("embedded-mongo: if another server uses this file, stop it first; if the file is"
                    + " damaged, move it away (the next start creates an empty one) and run `npm run seed`.");
                System.exit(4);
                return;
            }
            backend = durable;
        }

        backend.version(versionFor(wireVersion));
        MongoServer server = new MongoServer(backend);
        if (oplog) {
            server.enableOplog();
        } else if (durable != null) {
            durable.dropStaleOplog();
        }

        AtomicBoolean closed = new AtomicBoolean(false);
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    // shutdownNow(): drop client connections, stop listening, close the backend
                    // (H2Backend.close() commits and closes the MVStore file).
                    server.shutdownNow();
                } catch (Throwable t) {
                    System.err.println("embedded-mongo: error during shutdown: " + t);
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(close, "embedded-mongo-shutdown"));

        try {
            SocketAddress bindAddress = new InetSocketAddress(host, port);
            server.bind(bindAddress, 1, workerThreads); // 0 = netty default (2 x cores)
        } catch (Throwable t) {
            System.err.println("embedded-mongo: cannot bind " + host + ":" + port + ": " + t);
            close.run();
            System.exit(3);
            return;
        }
        InetSocketAddress addr = server.getLocalAddress();

        System.err.println("embedded-mongo: listening on " + host + ":" + addr.getPort() + " backend="
                + (memory ? "memory" : "h2:" + new File(file).getAbsolutePath() + (fsync ? " fsync=on" : "")) + " oplog=" + (oplog ? "on" : "off"));
        if (durable != null) {
            DurableH2Backend hk = durable;
            Thread housekeeping = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(1_000);
                        hk.housekeep(1_500, 300);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Throwable t) {
                        System.err.println("embedded-mongo: housekeeping: " + t);
                    }
                }
            }, "embedded-mongo-housekeeping");
            housekeeping.setDaemon(true);
            housekeeping.start();
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("EMBEDDED_MONGO_READY port=" + addr.getPort());
        out.flush();

        if (watchStdin) {
            Thread watcher = new Thread(() -> {
                InputStream in = System.in;
                byte[] buf = new byte[256];
                try {
                    while (in.read(buf) >= 0) {
                        // ignore input; we only care about EOF
                    }
                } catch (Throwable ignored) {
                    // treat read errors like EOF
                }
                System.err.println("embedded-mongo: stdin closed (parent gone), shutting down");
                System.exit(0); // runs the shutdown hook
            }, "embedded-mongo-stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        // Keep the main thread alive; netty threads are non-daemon too, but be explicit.
        Thread.currentThread().join();
    }

    /** The MongoDB release matching a wire version (only reported to clients, no behaviour change). */
    private static MongoVersion versionFor(int wireVersion) {
        List<Integer> release = switch (wireVersion) {
            case 6 -> List.of(3, 6, 0);
            case 7 -> List.of(4, 0, 0);
            case 8 -> List.of(4, 2, 0);
            case 9 -> List.of(4, 4, 0);
            case 13 -> List.of(5, 0, 0);
            case 17 -> List.of(6, 0, 0);
            case 21 -> List.of(7, 0, 0);
            case 25 -> List.of(8, 0, 0);
            default -> {
                fail("unsupported --wire-version " + wireVersion + " (use 6, 7, 8, 9, 13, 17, 21 or 25)");
                yield List.of();
            }
        };
        return new MongoVersion() {
            @Override
            public List<Integer> getVersionArray() {
                return release;
            }

            @Override
            public int getWireVersion() {
                return wireVersion;
            }
        };
    }

    private static String requireValue(String[] args, int i, String name) {
        if (i >= args.length) {
            fail("missing value for " + name);
        }
        return args[i];
    }

    private static void usage(PrintStream s) {
        s.println("usage: java -jar embedded-mongo.jar [--host 127.0.0.1] [--port N|0] (--memory | --file path.mv) [--wire-version 9] [--worker-threads 1] [--no-stdin-watch] [--no-oplog] [--fsync] [--cache-mb 256]");
    }

    private static void fail(String msg) {
        System.err.println("embedded-mongo: " + msg);
        usage(System.err);
        System.exit(2);
    }
}
