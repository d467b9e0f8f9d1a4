package io.inctrlstream.schema.codec.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The released versions of a record's schema, kept as classpath resources so that a decoder can
 * still read data written with any of them: {@code <root>/<RecordName>/v1.avsc}, {@code v2.avsc},
 * ... numbered without gaps, each a self-contained schema (all named types inlined). The newest one
 * has the same fingerprint as the generated class's schema (a test enforces it).
 */
public final class SchemaHistory {
    /** Where the released versions live on the classpath. */
    public static final String DEFAULT_ROOT = "io/inctrlstream/schema/history";

    private SchemaHistory() {}

    /** The resource path of version {@code n} of a record under {@code root}. */
    public static String resourcePath(String root, String recordName, int n) {
        return root + "/" + recordName + "/v" + n + ".avsc";
    }

    /**
     * Loads v1, v2, ... of {@code recordName} from {@code root} until the first missing version.
     *
     * @throws IllegalStateException if a resource is not a valid schema or names another record
     */
    public static List<SchemaVersion> load(String root, String recordName, ClassLoader loader) {
        List<SchemaVersion> versions = new ArrayList<>();
        for (int n = 1; ; n++) {
            String path = resourcePath(root, recordName, n);
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    return List.copyOf(versions);
                }
                Schema schema = parse(path, in);
                if (!schema.getName().equals(recordName)) {
                    throw new IllegalStateException(
                            "schema history resource "
                                    + path
                                    + " must define record "
                                    + recordName
                                    + " but defines "
                                    + schema.getFullName());
                }
                versions.add(SchemaVersion.of("v" + n, schema));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema history resource " + path, e);
            }
        }
    }

    private static Schema parse(String path, InputStream in) throws IOException {
        try {
            return new Schema.Parser().parse(in);
        } catch (SchemaParseException e) {
            throw new IllegalStateException(
                    "schema history resource "
                            + path
                            + " is not a valid Avro schema: "
                            + e.getMessage(),
                    e);
        }
    }
}
