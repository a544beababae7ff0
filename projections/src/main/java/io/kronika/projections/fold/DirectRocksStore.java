package io.kronika.projections.fold;

import io.kronika.projections.view.BoundedRocksDbConfig;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A store's bytes in a RocksDB of its own instead of Kafka Streams' built-in store, for the stores a list as of a
 * past revision reads (history, lifetimes): that list walks one key range and seeks once per listed key, and only
 * raw RocksDB iterators that are kept open and re-seeked make those steps cheap (a Kafka Streams range opens a new
 * iterator, behind an interactive-query store lookup, a lock and a deserializer, for every key).
 * Same durability contract as the other stores: no write-ahead log, memtables flushed on every commit and on
 * close, and a view that was not closed cleanly is rebuilt from the log. Readers ({@link StoreIterator}) hold a
 * read lock, so closing the store waits for them instead of freeing what they read.
 */
final class DirectRocksStore implements KeyValueStore<Bytes, byte[]> {
    static {
        RocksDB.loadLibrary();
    }

    private final String name;
    private final DirectStoreSupplier owner;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Set<RocksRangeIterator> openIterators = ConcurrentHashMap.newKeySet();
    private volatile boolean open;
    private Options options;
    private WriteOptions writeOptions;
    private FlushOptions flushOptions;
    private RocksDB db;

    DirectRocksStore(String name, DirectStoreSupplier owner) {
        this.name = name;
        this.owner = owner;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        File dir = new File(new File(context.stateDir(), "rocksdb"), name);
        try {
            Files.createDirectories(dir.toPath());
            options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setTableFormatConfig(new BlockBasedTableConfig());
            new BoundedRocksDbConfig().setConfig(name, options, Map.of());
            writeOptions = new WriteOptions().setDisableWAL(true);
            flushOptions = new FlushOptions().setWaitForFlush(true);
            db = RocksDB.open(options, dir.getAbsolutePath());
        } catch (IOException | RocksDBException e) {
            throw new ProcessorStateException("Cannot open the store " + name + " in " + dir + ": " + e.getMessage(), e);
        }
        context.register(root, (key, value) -> {
            // No changelog: the events topic is the changelog, and there is nothing to restore from.
        });
        open = true;
        owner.opened(this);
    }

    /** A raw iterator over the store as it is now; fails when the store is not open. Close it (it holds a read lock). */
    StoreIterator iterator() {
        lifecycle.readLock().lock();
        if (!open) {
            lifecycle.readLock().unlock();
            throw new InvalidStateStoreException("The store " + name + " is not open");
        }
        ReadOptions readOptions = new ReadOptions();
        return new StoreIterator(readOptions, db.newIterator(readOptions), () -> lifecycle.readLock().unlock());
    }

    @Override
    public void put(Bytes key, byte[] value) {
        checkOpen();
        try {
            if (value == null) {
                db.delete(writeOptions, key.get());
            } else {
                db.put(writeOptions, key.get(), value);
            }
        } catch (RocksDBException e) {
            throw new ProcessorStateException("Writing to the store " + name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] existing = get(key);
        put(key, null);
        return existing;
    }

    @Override
    public byte[] get(Bytes key) {
        checkOpen();
        try {
            return db.get(key.get());
        } catch (RocksDBException e) {
            throw new ProcessorStateException("Reading the store " + name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(from, to, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(from, to, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(null, null, true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(null, null, false);
    }

    private KeyValueIterator<Bytes, byte[]> iterator(Bytes from, Bytes to, boolean forward) {
        checkOpen();
        RocksRangeIterator it = new RocksRangeIterator(db.newIterator(), from, to, forward, openIterators::remove);
        openIterators.add(it);
        return it;
    }

    @Override
    public long approximateNumEntries() {
        checkOpen();
        try {
            return db.getLongProperty("rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return 0;
        }
    }

    @Override
    public void flush() {
        if (!open) {
            return;
        }
        try {
            db.flush(flushOptions);
        } catch (RocksDBException e) {
            throw new ProcessorStateException("Flushing the store " + name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        owner.closed(this);
        lifecycle.writeLock().lock(); // waits for open readers
        try {
            flush();
            open = false;
            openIterators.forEach(RocksRangeIterator::close);
            db.close();
            writeOptions.close();
            flushOptions.close();
            options.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Position getPosition() {
        return Position.emptyPosition();
    }

    private void checkOpen() {
        if (!open) {
            throw new InvalidStateStoreException("The store " + name + " is not open");
        }
    }
}
