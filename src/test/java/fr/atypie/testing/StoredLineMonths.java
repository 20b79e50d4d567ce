package fr.atypie.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.atypie.fs.Store;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A flux table's checked lines kept by flux month ({@code quality.MonthLines}) as the tests read
 * them: the state file that names, per flux month, the generation holding its lines.
 */
public final class StoredLineMonths {
    /** The state file, in {@link #folder}. */
    public static final String STATE = "months.json";

    private StoredLineMonths() {
    }

    /** The line store of a working area ({@code --work}): {@code state/lines}, beside the event store. */
    public static Store inWork(Store work) {
        return fr.atypie.refresh.MonthlyRefresh.Request.lineStoreIn(work);
    }

    /** Where {@code table}'s lines by flux month are kept in a line store ({@code --work}'s {@code state/lines}). */
    public static Store folder(Store lines, SndsTable table) {
        return lines.child(table.name() + "/months");
    }

    /** Flux month → the generation holding its lines, from the state file. */
    public static Map<String, Integer> generations(Store lines, SndsTable table) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        new ObjectMapper().readTree(folder(lines, table).readText(STATE).orElseThrow()).get("months").fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().get("generation").asInt()));
        return out;
    }
}
