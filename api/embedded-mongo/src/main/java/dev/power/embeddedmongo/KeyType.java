package dev.power.embeddedmongo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * MVStore key type for document ids ({@code _id} values) and unique-index keys ({@link KeyValue}), also used
 * for the index maps' values (the document's id).
 *
 * <p>H2's default {@code ObjectDataType} compares objects that are not {@link Comparable} (ObjectId,
 * KeyValue) by Java-serialising <em>both</em> on every comparison of every B-tree search: that, not the disk,
 * was what made inserts slow. Here keys compare in MongoDB's order ({@link ValueComparator}) with a tie-break
 * that keeps "equal" exactly what {@link Object#equals} says (as the memory backend does), and are stored
 * compactly: ObjectId in 12 bytes, strings as UTF-8, anything else as a small BSON document.
 */
final class KeyType extends BasicDataType<Object> {

    static final KeyType INSTANCE = new KeyType();

    private static final ValueComparator ORDER = ValueComparator.ascWithoutListHandling();

    private static final byte NULL = 'N';
    private static final byte MISSING = 'M';
    private static final byte OBJECT_ID = 'O';
    private static final byte STRING = 'S';
    private static final byte KEY_VALUE = 'K';
    private static final byte BSON = 'B';
    private static final byte JAVA = 'J';

    private KeyType() {
    }

    @Override
    public int compare(Object a, Object b) {
        if (a == b) {
            return 0;
        }
        boolean ka = a instanceof KeyValue;
        boolean kb = b instanceof KeyValue;
        if (ka && kb) {
            KeyValue x = (KeyValue) a;
            KeyValue y = (KeyValue) b;
            int n = Math.min(x.size(), y.size());
            for (int i = 0; i < n; i++) {
                int c = compareValues(x.get(i), y.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        if (ka != kb) {
            return ka ? 1 : -1;
        }
        return compareValues(a, b);
    }

    private static int compareValues(Object a, Object b) {
        int c = ORDER.compare(a, b);
        if (c != 0 || Objects.equals(a, b)) {
            return c;
        }
        // MongoDB's order calls these equal (null vs missing, 1 vs 1.0 before normalisation, ...) but the
        // indexes of mongo-java-server tell them apart with equals(): keep them distinct, deterministically.
        String ca = a == null ? "" : a.getClass().getName();
        String cb = b == null ? "" : b.getClass().getName();
        c = ca.compareTo(cb);
        if (c != 0) {
            return c;
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    @Override
    public int getMemory(Object obj) {
        if (obj instanceof KeyValue kv) {
            return 48 + 32 * kv.size();
        }
        if (obj instanceof String s) {
            return 40 + 2 * s.length();
        }
        return 48;
    }

    @Override
    public void write(WriteBuffer buff, Object obj) {
        if (obj == null) {
            buff.put(NULL);
        } else if (obj instanceof Missing) {
            buff.put(MISSING);
        } else if (obj instanceof ObjectId id) {
            buff.put(OBJECT_ID).put(id.toByteArray());
        } else if (obj instanceof String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            buff.put(STRING).putVarInt(bytes.length).put(bytes);
        } else if (obj instanceof KeyValue kv) {
            buff.put(KEY_VALUE).putVarInt(kv.size());
            for (Object v : kv) {
                write(buff, v);
            }
        } else {
            byte[] bytes;
            byte tag;
            try {
                ByteBuf out = Unpooled.buffer(64);
                Document wrapper = new Document("v", obj);
                BsonEncoder.encodeDocument(wrapper, out);
                bytes = new byte[out.readableBytes()];
                out.readBytes(bytes);
                tag = BSON;
                // Only if it reads back as the same value (e.g. a UUID stays a UUID).
                if (!Objects.equals(BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes)).get("v"), obj)) {
                    bytes = javaSerialize(obj);
                    tag = JAVA;
                }
            } catch (RuntimeException e) {
                bytes = javaSerialize(obj);
                tag = JAVA;
            }
            buff.put(tag).putVarInt(bytes.length).put(bytes);
        }
    }

    @Override
    public Object read(ByteBuffer buff) {
        byte tag = buff.get();
        switch (tag) {
            case NULL:
                return null;
            case MISSING:
                return Missing.getInstance();
            case OBJECT_ID: {
                byte[] bytes = new byte[12];
                buff.get(bytes);
                return new ObjectId(bytes);
            }
            case STRING:
                return new String(readBytes(buff), StandardCharsets.UTF_8);
            case KEY_VALUE: {
                int n = DataUtils.readVarInt(buff);
                List<Object> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(read(buff));
                }
                return new KeyValue(values);
            }
            case BSON:
                return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(readBytes(buff))).get("v");
            case JAVA:
                return javaDeserialize(readBytes(buff));
            default:
                throw new IllegalStateException("embedded-mongo: unknown stored key tag " + tag);
        }
    }

    private static byte[] readBytes(ByteBuffer buff) {
        int len = DataUtils.readVarInt(buff);
        byte[] bytes = new byte[len];
        buff.get(bytes);
        return bytes;
    }

    @Override
    public Object[] createStorage(int size) {
        return new Object[size];
    }

    private static byte[] javaSerialize(Object obj) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(obj);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("embedded-mongo: cannot serialise a key " + obj.getClass(), e);
        }
    }

    private static Object javaDeserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("embedded-mongo: cannot read a stored key", e);
        }
    }
}
