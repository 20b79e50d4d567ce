package fr.atypie.publish;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Secondary (complementary) suppression: primary suppression hides cells built on fewer than the
 * threshold of patients; a hidden cell of an additive set (a region and its departments, a window
 * and its months, the lines of a list and its total) would still follow by subtraction when it is
 * the only hidden cell of its set. The rule applied here, until no set changes:
 *
 * <blockquote>in every additive set holding exactly one hidden cell, hide also the visible cell of
 * the set with the fewest patients (ties: the smallest key).</blockquote>
 *
 * A set then holds no hidden cell or at least two, so no single equation gives a hidden value back.
 * Hiding one more cell can leave another set with a single hidden cell: the loop goes on until a
 * fixed point, which exists since cells are only ever added. The smallest cell is chosen because it
 * carries the least information (and it is usually close to the threshold itself).
 *
 * <p>Pure Java on collected keys: the tables concerned are small aggregates (a few thousand rows).
 */
public final class ComplementarySuppression {

    /** One published cell: its key (unique), its number of patients, whether it is already hidden. */
    public record Cell(String key, long patients, boolean hidden) {}

    private ComplementarySuppression() {}

    /**
     * The keys to hide in addition to the already hidden cells.
     *
     * @param cells the cells, by key
     * @param sets  the additive sets, each a collection of cell keys (the total among them); keys
     *              not in {@code cells} are ignored (a cell that is not published)
     */
    public static Set<String> complements(Collection<Cell> cells, Collection<? extends Collection<String>> sets) {
        Map<String, Cell> byKey = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (byKey.put(c.key(), c) != null) {
                throw new IllegalArgumentException("cell key " + c.key() + " appears twice");
            }
        }
        Set<String> hidden = new TreeSet<>();
        byKey.values().stream().filter(Cell::hidden).forEach(c -> hidden.add(c.key()));
        List<List<Cell>> resolved = new ArrayList<>();
        for (Collection<String> set : sets) {
            List<Cell> members = set.stream().map(byKey::get).filter(c -> c != null).distinct().toList();
            if (members.size() > 1) {
                resolved.add(members);
            }
        }
        Comparator<Cell> smallest = Comparator.comparingLong(Cell::patients).thenComparing(Cell::key);
        Set<String> added = new TreeSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (List<Cell> set : resolved) {
                if (set.stream().filter(c -> hidden.contains(c.key())).count() == 1) {
                    Cell next = set.stream().filter(c -> !hidden.contains(c.key())).min(smallest).orElseThrow();
                    hidden.add(next.key());
                    added.add(next.key());
                    changed = true;
                }
            }
        }
        return added;
    }
}
