package dev.power.embeddedmongo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * MVStore value type for stored documents: BSON (what the wire carries) instead of H2's default Java
 * serialization, which repeats class descriptors in every value and made the file several times the size
 * of the data (4.4 GB for a 200,000-account seed) and its writes the seed's bottleneck.
 *
 * <p>Each value is one tag byte and a length-prefixed body: {@code 'B'} = a BSON document; {@code 'J'} = Java
 * serialization, only for a value BSON cannot express (none is expected: documents come from the wire).
 */
final class BsonDocumentType extends BasicDataType<Document> {

    static final BsonDocumentType INSTANCE = new BsonDocumentType();
    /** The same type, for maps whose values are declared as Object (converting old files). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final BasicDataType<Object> ANY = (BasicDataType) INSTANCE;

    private static final byte TAG_BSON = 'B';
    private static final byte TAG_JAVA = 'J';

    private BsonDocumentType() {
    }

    @Override
    public int getMemory(Document doc) {
        return 48 + estimate(doc, 0);
    }

    /** Rough heap size of a document, for the page cache's accounting (cheaper than encoding it). */
    private static int estimate(Object v, int depth) {
        if (v == null) {
            return 8;
        }
        if (depth > 8) {
            return 64;
        }
        if (v instanceof String s) {
            return 40 + 2 * s.length();
        }
        if (v instanceof Map<?, ?> m) {
            int n = 48;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                n += 48 + 2 * String.valueOf(e.getKey()).length() + estimate(e.getValue(), depth + 1);
            }
            return n;
        }
        if (v instanceof Collection<?> c) {
            int n = 40;
            for (Object o : c) {
                n += 8 + estimate(o, depth + 1);
            }
            return n;
        }
        return 24;
    }

    @Override
    public void write(WriteBuffer buff, Document doc) {
        byte[] bytes;
        byte tag;
        try {
            ByteBuf out = Unpooled.buffer(256);
            BsonEncoder.encodeDocument(doc, out);
            bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            tag = TAG_BSON;
        } catch (RuntimeException e) {
            bytes = javaSerialize(doc);
            tag = TAG_JAVA;
        }
        buff.put(tag).putVarInt(bytes.length).put(bytes);
    }

    @Override
    public Document read(ByteBuffer buff) {
        byte tag = buff.get();
        int len = DataUtils.readVarInt(buff);
        byte[] bytes = new byte[len];
        buff.get(bytes);
        if (tag == TAG_BSON) {
            return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
        }
        if (tag == TAG_JAVA) {
            return javaDeserialize(bytes);
        }
        throw new IllegalStateException("embedded-mongo: unknown stored value tag " + tag);
    }

    @Override
    public Document[] createStorage(int size) {
        return new Document[size];
    }

    private static byte[] javaSerialize(Document doc) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(doc);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("embedded-mongo: cannot serialise a document", e);
        }
    }

    private static Document javaDeserialize(byte[] bytes) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (Document) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("embedded-mongo: cannot read a stored document", e);
        }
    }
}
