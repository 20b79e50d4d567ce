package fr.atypie.snds;

import fr.atypie.settings.Section;

/**
 * The {@code atypie.dcir} section (conf/dcir.conf).
 *
 * @param consolidationMonths a care month is consolidated once the latest flux month read is at
 *                            least care month + this many months; before that it is provisional
 * @param codes               the job's code selections ({@code atypie.dcir.codes})
 */
public record DcirSettings(int consolidationMonths, CodeLists codes) {
    public static DcirSettings from(Section s) {
        return new DcirSettings(s.integer("consolidation-months", 0, 36), CodeLists.from(s.child("codes")));
    }
}
