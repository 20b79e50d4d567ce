package fr.atypie.synth;

import java.util.List;

/**
 * Everything decided before patients are simulated: departments with their practitioners,
 * practice sizes, planted tiers and campaign contacts, and the GP of the planted procedure
 * ({@code procedureGp}, when {@code atypie.synth.procedure} is enabled). Small (a few thousand GPs at most), built
 * on one thread from the seed by {@link RegionPlanner}; the heavy per-patient work reads it only.
 */
record RegionPlan(List<DepartmentPlan> departments, java.util.Optional<String> procedureGp) {

    /**
     * One department: its GPs (patients are numbered practice after practice), specialists,
     * and the counts of executants that are not practitioners (pharmacies, transport companies)
     * and of hospitals (FINESS) prescribing in town.
     */
    record DepartmentPlan(int index, SynthConfig.Department department, long population, List<Practitioner> gps,
                          List<Practitioner> specialists, int pharmacies, int transporters, int hospitals) {

        /** Identifiers of the department's executants and prescribers, encoded once. */
        Ids ids() {
            return new Ids(this);
        }

        String pharmacyId(int i) {
            return department.code() + "7" + String.format("%05d", i + 1);
        }

        String transporterId(int i) {
            return department.code() + "8" + String.format("%05d", i + 1);
        }

        /** FINESS of a hospital: 9 characters starting with the department code. */
        String hospitalFiness(int i) {
            return department.code() + String.format("%07d", 780_001 + 10 * i);
        }

        /** ORG_CLE_NUM of the department's fund. */
        String organisation() {
            return "01C" + department.fundCode() + "000";
        }
    }

    /** UTF-8 identifiers by rank, built once per department for the hot path. */
    static final class Ids {
        final org.apache.avro.util.Utf8[] gps;
        final org.apache.avro.util.Utf8[] specialists;
        final org.apache.avro.util.Utf8[] pharmacies;
        final org.apache.avro.util.Utf8[] transporters;
        final org.apache.avro.util.Utf8[] hospitals;

        Ids(DepartmentPlan d) {
            gps = d.gps().stream().map(p -> new org.apache.avro.util.Utf8(p.id())).toArray(org.apache.avro.util.Utf8[]::new);
            specialists = d.specialists().stream().map(p -> new org.apache.avro.util.Utf8(p.id()))
                    .toArray(org.apache.avro.util.Utf8[]::new);
            pharmacies = new org.apache.avro.util.Utf8[d.pharmacies()];
            for (int i = 0; i < pharmacies.length; i++) {
                pharmacies[i] = new org.apache.avro.util.Utf8(d.pharmacyId(i));
            }
            transporters = new org.apache.avro.util.Utf8[d.transporters()];
            for (int i = 0; i < transporters.length; i++) {
                transporters[i] = new org.apache.avro.util.Utf8(d.transporterId(i));
            }
            hospitals = new org.apache.avro.util.Utf8[d.hospitals()];
            for (int i = 0; i < hospitals.length; i++) {
                hospitals[i] = new org.apache.avro.util.Utf8(d.hospitalFiness(i));
            }
        }

        org.apache.avro.util.Utf8 of(Practitioner p) {
            return p.gp() ? gps[p.rank()] : specialists[p.rank()];
        }
    }

    List<Practitioner> allGps() {
        return departments.stream().flatMap(d -> d.gps().stream()).toList();
    }
}
