package fr.atypie.quality;

import fr.atypie.errors.ConfigError;
import fr.atypie.settings.Section;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code atypie.quality} section (conf/quality.conf).
 *
 * @param maxQuarantineShare largest share of a table's rows that may be quarantined (else exit 5)
 * @param departments        region's departments, normalised to 3 characters ("034"); empty = any
 * @param earliestCareYear   care or ALD dates before this year are impossible
 * @param extraPrestationCodes PRS_NAT_REF codes accepted besides the ones the job uses
 */
public record QualityConfig(double maxQuarantineShare, Set<String> departments, int earliestCareYear,
                            Set<Integer> extraPrestationCodes) {

    public QualityConfig {
        departments = Set.copyOf(departments);
        extraPrestationCodes = Set.copyOf(extraPrestationCodes);
    }

    public static QualityConfig from(Section s) {
        Set<String> depts = new LinkedHashSet<>();
        for (String d : s.strings("departments")) {
            String n = Departments.normalise(d);
            if (n == null) {
                throw new ConfigError(s.key("departments") + " contains '" + d
                        + "', not a department code (2 or 3 characters, e.g. 34, 034, 2A, 971)");
            }
            depts.add(n);
        }
        List<Integer> extra = s.integers("extra-prestation-codes");
        return new QualityConfig(
                s.number("max-quarantine-share", 0.0, 1.0),
                depts,
                s.integer("earliest-care-year", 1900, 2100),
                Set.copyOf(extra));
    }

    public QualityConfig withDepartments(Set<String> normalisedDepartments) {
        return new QualityConfig(maxQuarantineShare, normalisedDepartments, earliestCareYear, extraPrestationCodes);
    }

    public QualityConfig withMaxQuarantineShare(double share) {
        return new QualityConfig(share, departments, earliestCareYear, extraPrestationCodes);
    }
}
