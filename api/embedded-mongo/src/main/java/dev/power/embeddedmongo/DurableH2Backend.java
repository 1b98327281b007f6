package dev.power.embeddedmongo;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import io.netty.channel.Channel;

/**
 * The file-backed backend of {@code npm start}: mongo-java-server's H2 (MVStore) backend, made durable and
 * single-threaded.
 *
 * <ul>
 * <li><b>No background writer.</b> MVStore's own background thread (auto-commit every N ms plus
 * auto-compaction) raced with the command thread: a 200,000-account seed died with
 * {@code Chunk 6250 not found}. Here the store is opened with auto-commit disabled, so no MVStore thread
 * exists; every store operation runs under {@link #lock}.</li>
 * <li><b>Acknowledged means written.</b> Every command runs under the lock and, if it changed anything, the
 * store is committed (the new chunk written to the file) before the reply leaves. A SIGKILL of this JVM
 * afterwards loses nothing: the bytes are in the operating system. With {@code --fsync} the file is also
 * forced to the device after each commit (survives power loss; slower).</li>
 * <li><b>Compaction on the same thread.</b> Copy-on-write leaves dead pages behind. While writes stream in,
 * every 500 ms a commit that finds the store less than half live runs a short compaction step (50 ms) itself;
 * when no command has run for 1.5 s, a housekeeping thread takes the same lock and compacts in steps of at
 * most 300 ms (rewrite mostly-dead chunks, move chunks down, truncate the file), so the file stays in
 * proportion to the live data.</li>
 * <li><b>Compact, comparable storage.</b> Documents are stored as BSON ({@link BsonDocumentType}), ids and
 * index keys with {@link KeyType}: H2's default type Java-serialised them, made the file several times the
 * data and compared keys by serialising both. A file written by the earlier launcher is converted once, map
 * by map, when it is opened.</li>
 * </ul>
 */
final class DurableH2Backend extends H2Backend {

    static final String FORMAT_MAP = "embedded-mongo.format";
    static final String FORMAT_KEY = "documents";
    static final String FORMAT_BSON = "bson-1";
    private static final String DATA_PREFIX = "databases.";

    private static final boolean DEBUG = System.getenv("EMBEDDED_MONGO_DEBUG") != null;

    private final MVStore store;
    private final boolean fsync;
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile long lastCommandNanos = System.nanoTime();
    private volatile boolean dirtySinceHousekeeping = true;
    private volatile boolean failed;
    private long lastInlineCompactNanos = System.nanoTime();
    private static final long INLINE_COMPACT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private DurableH2Backend(MVStore store, boolean fsync) {
        super(store);
        this.store = store;
        this.fsync = fsync;
    }

    /** Opens (or creates) the file, converts an older file's documents to BSON, and returns the backend. */
    static DurableH2Backend open(String fileName, int cacheMb, int retentionMs, boolean fsync) {
        MVStore store = new MVStore.Builder()
            .fileName(fileName)
            .autoCommitDisabled() // no background thread; we commit after each write command
            .cacheSize(cacheMb)
            .open();
        try {
            // Dead chunks become reusable after this long. The background writer is gone and queries are
            // materialised before the reply, so no reader holds an old version across commands.
            store.setRetentionTime(retentionMs);
            convertToBson(store);
            return new DurableH2Backend(store, fsync);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw e;
        }
    }

    /**
     * Files written before this format stored documents and keys with H2's default type (Java
     * serialisation). Each such map is copied into a map of the new types (committed every 20,000 entries)
     * and swapped in within one commit, so a kill half-way leaves every map either old or new (the per-map
     * marker says which) plus at most a partial copy, which the next start drops and redoes.
     */
    private static void convertToBson(MVStore store) {
        MVMap<String, String> format = store.openMap(FORMAT_MAP);
        if (FORMAT_BSON.equals(format.get(FORMAT_KEY))) {
            return;
        }
        List<String> maps = store.getMapNames().stream().filter(n -> isDataMap(n) || isIndexMap(n)).toList();
        if (!maps.isEmpty()) {
            System.err.println("embedded-mongo: converting " + maps.size() + " maps of a file written by the earlier launcher"
                + " to the BSON storage format (once; large files take a while)");
        }
        for (String name : maps) {
            if (FORMAT_BSON.equals(format.get("map:" + name))) {
                continue;
            }
            MVMap<Object, Object> old = store.openMap(name);
            String tmpName = "converting." + name;
            if (store.hasMap(tmpName)) {
                store.removeMap(tmpName);
            }
            MVMap<Object, Object> converted = store.openMap(tmpName,
                isDataMap(name) ? new MVMap.Builder<Object, Object>().keyType(KeyType.INSTANCE).valueType(BsonDocumentType.ANY)
                    : new MVMap.Builder<Object, Object>().keyType(KeyType.INSTANCE).valueType(KeyType.INSTANCE));
            long n = 0;
            for (var e : old.entrySet()) {
                converted.put(e.getKey(), e.getValue());
                if (++n % 20_000 == 0) {
                    // Bounded memory; a kill here leaves the old map intact and the next start redoes this one.
                    store.commit();
                    System.err.println("embedded-mongo: converting " + name + ": " + n + " entries so far");
                }
            }
            store.removeMap(old);
            store.renameMap(converted, name);
            format.put("map:" + name, FORMAT_BSON);
            store.commit();
            System.err.println("embedded-mongo: converted " + name + " (" + n + " entries) to the BSON storage format");
        }
        format.put(FORMAT_KEY, FORMAT_BSON);
        for (String name : maps) {
            format.remove("map:" + name);
        }
        store.commit();
    }

    private static boolean isDataMap(String name) {
        return name.startsWith(DATA_PREFIX);
    }

    private static boolean isIndexMap(String name) {
        return !name.startsWith("converting.") && !name.startsWith("meta.") && name.contains("._index_");
    }

    static MVMap.Builder<Object, Document> documentMap() {
        return new MVMap.Builder<Object, Document>().keyType(KeyType.INSTANCE).valueType(BsonDocumentType.INSTANCE);
    }

    static MVMap.Builder<Object, Object> indexMap() {
        return new MVMap.Builder<Object, Object>().keyType(KeyType.INSTANCE).valueType(KeyType.INSTANCE);
    }

    /**
     * Without an oplog, an oplog collection left by an earlier run (every write ever made, uncapped) is dead
     * weight: drop it, and let compaction give the space back.
     */
    void dropStaleOplog() {
        lock.lock();
        try {
            if (store.hasMap(DATA_PREFIX + "local.oplog.rs")) {
                long n = store.openMap(DATA_PREFIX + "local.oplog.rs", documentMap()).sizeAsLong();
                resolveDatabase("local").dropCollection("oplog.rs", NoopOplog.get());
                persist();
                System.err.println("embedded-mongo: dropped the oplog of an earlier run (" + n + " entries; this server keeps none)");
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new BsonH2Database(databaseName, getMvStore(), getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        lock.lock();
        try {
            if (failed) {
                throw new IllegalStateException("embedded-mongo: the data file could not be written earlier; restart the server");
            }
            return super.handleCommand(channel, database, command, query);
        } finally {
            try {
                persist();
            } finally {
                lastCommandNanos = System.nanoTime();
                lock.unlock();
            }
        }
    }

    /** Writes the changes of the command that just ran (if any) to the file, before its reply is sent. */
    private void persist() {
        if (failed || !store.hasUnsavedChanges()) {
            return;
        }
        try {
            store.commit();
            if (fsync) {
                store.sync();
            }
            dirtySinceHousekeeping = true;
            // Under a steady stream of writes there is no idle time: keep the dead space bounded here, on the
            // command thread, in small steps (what MVStore's background thread would do, without the race).
            long now = System.nanoTime();
            if (now - lastInlineCompactNanos > INLINE_COMPACT_EVERY_NANOS) {
                lastInlineCompactNanos = now;
                FileStore<?> fs = store.getFileStore();
                if (fs.getChunksFillRate() < 50 || store.getFillRate() < 50) {
                    try {
                        compactStep(TimeUnit.MILLISECONDS.toNanos(50), 60, 8 << 20);
                    } catch (RuntimeException e) {
                        // The command's own commit is done; a failed compaction only matters if it broke the store.
                        compactionFailed(e);
                    }
                }
            }
        } catch (RuntimeException e) {
            fatal(e);
            throw e;
        }
    }

    private void compactionFailed(RuntimeException e) {
        if (store.isClosed()) {
            fatal(e);
        } else {
            System.err.println("embedded-mongo: compaction step failed (data is unaffected): " + e);
        }
    }

    private void fatal(RuntimeException e) {
        failed = true;
        System.err.println("embedded-mongo: FATAL: cannot write the data file: " + e);
        // Nothing written after this point would be durable: stop, so the stack reports it.
        new Thread(() -> System.exit(70), "embedded-mongo-fatal").start();
    }

    /**
     * One housekeeping pass, called by the housekeeping thread every second: only after writes, only when no
     * command ran for {@code idleMs}, for at most {@code stepMs} under the command lock.
     */
    void housekeep(long idleMs, long stepMs) throws InterruptedException {
        if (failed || !dirtySinceHousekeeping || store.isClosed()) {
            return;
        }
        if (System.nanoTime() - lastCommandNanos < TimeUnit.MILLISECONDS.toNanos(idleMs)) {
            return;
        }
        if (!lock.tryLock(10, TimeUnit.MILLISECONDS)) {
            return;
        }
        try {
            if (store.isClosed()) {
                return;
            }
            FileStore<?> fs = store.getFileStore();
            long before = fs.size();
            int chunksBefore = fs.getChunksFillRate();
            compactStep(TimeUnit.MILLISECONDS.toNanos(stepMs), 80, 32 << 20);
            long after = fs.size();
            int chunksAfter = fs.getChunksFillRate();
            if (DEBUG) {
                System.err.println("embedded-mongo: housekeeping " + (before >> 20) + " MB -> " + (after >> 20)
                    + " MB, chunks fill " + chunksBefore + "% -> " + chunksAfter + "%, file fill " + store.getFillRate() + "%");
            }
            boolean compactEnough = chunksAfter >= 80 && store.getFillRate() >= 80;
            if (compactEnough || (after >= before && chunksAfter <= chunksBefore)) {
                if (++idlePassesWithoutProgress >= 3 || compactEnough) {
                    dirtySinceHousekeeping = false; // until the next write
                    idlePassesWithoutProgress = 0;
                }
            } else {
                idlePassesWithoutProgress = 0;
            }
        } catch (RuntimeException e) {
            compactionFailed(e);
            dirtySinceHousekeeping = false;
        } finally {
            lock.unlock();
        }
    }

    private int idlePassesWithoutProgress;

    /**
     * Rewrites chunks that are mostly dead (their live pages move to a new chunk), then moves chunks down into
     * free space and truncates the file. Runs on the caller's thread under {@link #lock}.
     */
    private void compactStep(long budgetNanos, int targetFillRate, int writeLimit) {
        FileStore<?> fs = store.getFileStore();
        long deadline = System.nanoTime() + budgetNanos;
        while (System.nanoTime() < deadline && fs.getChunksFillRate() < targetFillRate
            && store.compact(targetFillRate, writeLimit)) {
            store.commit();
        }
        if (fs instanceof RandomAccessStore ras && store.getFillRate() < targetFillRate && System.nanoTime() < deadline) {
            store.commit();
            ras.compactMoveChunks(targetFillRate, writeLimit, store);
        }
        if (store.hasUnsavedChanges()) {
            store.commit();
        }
        if (fsync) {
            store.sync();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!store.isClosed()) {
                super.close(); // commits and closes the file
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * H2Database whose collections and unique indexes use {@link KeyType} / {@link BsonDocumentType}: it opens
     * each map with those types first, so H2Database's own {@code openMap(name)} gets the already-open map.
     */
    static final class BsonH2Database extends H2Database {

        private static final Field STORE_FIELD;

        static {
            try {
                STORE_FIELD = H2Database.class.getDeclaredField("mvStore");
                STORE_FIELD.setAccessible(true);
            } catch (NoSuchFieldException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        BsonH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
            super(databaseName, mvStore, cursorRegistry);
        }

        /** Called from H2Database's constructor too (before any field of ours exists): read its own field. */
        private MVStore mvStore() {
            try {
                return (MVStore) STORE_FIELD.get(this);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            mvStore().openMap(DATA_PREFIX + getFullCollectionNamespace(collectionName), documentMap());
            return super.openOrCreateCollection(collectionName, options);
        }

        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
            mvStore().openMap(getFullCollectionNamespace(collectionName) + "._index_" + indexName, indexMap());
            return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
        }
    }
}
