package fr.atypie.quality;

import fr.atypie.snds.FluxSelection;
import java.time.YearMonth;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A flux table as an extract in {@code flux_month=YYYY-MM} folders delivers it, for validation to
 * keep each flux month's checked lines between runs ({@link MonthLines}): a monthly refresh then
 * reads and checks the new flux month only, not the 12 or more months its late lines reach back to.
 *
 * @param settings     what shapes the row checks besides the lines: code version, validation
 *                     settings, nomenclatures (lines checked under other settings are checked again)
 * @param fingerprints the flux months this run validates, each with its folder's fingerprint
 *                     (file names, sizes, modification times: a re-delivered month is checked again)
 * @param read         reads the lines of some flux months, as the extract reader does
 * @param passOver     the lines an incremental run leaves out when it reads stored lines back (older
 *                     care, see {@code Ingestion}), given the column of a line's {@code xxhash64} of its
 *                     9 keys
 * @param leaveOut     what a run leaves out of the lines it reads from the extract before checking them
 *                     (drug lines: those of the service lines passed over; identity for service lines,
 *                     stored whole and passed over when read back)
 * @param careStart    the care month before which this run passes lines over (empty when none is)
 * @param sharedKeys   whether some lines of older care share their 9 keys with later ones (then
 *                     validated with them, not passed over)
 * @param checkAll     every month checked again and stored, none reused ({@code --full-rebuild})
 */
public record FluxMonths(String settings, SortedMap<YearMonth, String> fingerprints,
                         Function<FluxSelection, Dataset<Row>> read, Function<Column, Column> passOver,
                         UnaryOperator<Dataset<Row>> leaveOut, Optional<YearMonth> careStart, boolean sharedKeys,
                         boolean checkAll) {
    public FluxMonths {
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("no flux month to validate");
        }
        fingerprints = new TreeMap<>(fingerprints);
    }

    /** The same months, checked under {@code more} settings as well. */
    FluxMonths withSettings(String more) {
        return new FluxMonths(settings + "\n" + more, fingerprints, read, passOver, leaveOut, careStart, sharedKeys, checkAll);
    }
}
