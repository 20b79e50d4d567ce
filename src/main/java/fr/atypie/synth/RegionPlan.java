package fr.atypie.synth;

import java.util.List;

/**
 * Everything decided before patients are simulated: departments with their practitioners,
 * practice sizes, planted tiers and campaign contacts. Small (a few thousand GPs at most), built
 * on one thread from the seed by {@link RegionPlanner}; the heavy per-patient work reads it only.
 */
record RegionPlan(List<DepartmentPlan> departments) {

    /**
     * One department: its GPs (patients are numbered practice after practice), specialists,
     * and the counts of executants that are not practitioners (pharmacies, transport companies)
     * and of hospitals (FINESS) prescribing in town.
     */
    record DepartmentPlan(int index, SynthConfig.Department department, long population, List<Practitioner> gps,
                          List<Practitioner> specialists, int pharmacies, int transporters, int hospitals) {

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

    List<Practitioner> allGps() {
        return departments.stream().flatMap(d -> d.gps().stream()).toList();
    }
}
