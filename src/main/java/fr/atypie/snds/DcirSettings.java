package fr.atypie.snds;

import fr.atypie.settings.Section;

/**
 * The {@code atypie.dcir} section (conf/dcir.conf).
 *
 * @param consolidationMonths a care month is consolidated once the latest flux month read is at
 *                            least care month + this many months; before that it is provisional
 */
public record DcirSettings(int consolidationMonths) {
    public static DcirSettings from(Section s) {
        return new DcirSettings(s.integer("consolidation-months", 0, 36));
    }
}
