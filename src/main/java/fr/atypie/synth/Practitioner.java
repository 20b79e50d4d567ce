package fr.atypie.synth;

/**
 * One generated practitioner (a row of DA_PRA_R) and, for GPs, the behaviour planted on it.
 * Multipliers are 1 for normal behaviour; campaign is null when the GP was not contacted.
 *
 * @param id                  PFS_PFS_NUM: department code, 1 (GP) or 2 (specialist), 5-digit rank
 * @param firstPatient        index of the GP's first patient in its department (GPs only)
 * @param patients            size of the GP's practice (0 for specialists)
 * @param casemix             patient-mix variant of case-mix GPs, null otherwise
 * @param contactOffset       months after the campaign's M0 of this GP's own contact (0 when not contacted)
 */
public record Practitioner(String id, int department, int specialty, boolean gp, int rank, String postalCode,
                           long firstPatient, int patients, Tier tier, Casemix casemix,
                           double sickLeaveMultiplier, double antibioticMultiplier,
                           double benzodiazepineMultiplier, double genericMultiplier, CampaignAction campaign,
                           int contactOffset) {

    /** How a case-mix GP's patients differ from the department's. */
    public enum Casemix { OLDER, ALD_HEAVY, WORKING_AGE }

    Practitioner withPractice(long first, int size) {
        return new Practitioner(id, department, specialty, gp, rank, postalCode, first, size, tier, casemix,
                sickLeaveMultiplier, antibioticMultiplier, benzodiazepineMultiplier, genericMultiplier, campaign, contactOffset);
    }

    Practitioner withTier(Tier t, Casemix c, double sickLeave) {
        return new Practitioner(id, department, specialty, gp, rank, postalCode, firstPatient, patients, t, c,
                sickLeave, antibioticMultiplier, benzodiazepineMultiplier, genericMultiplier, campaign, contactOffset);
    }

    Practitioner withDrugs(double antibiotic, double benzodiazepine, double generic) {
        return new Practitioner(id, department, specialty, gp, rank, postalCode, firstPatient, patients, tier, casemix,
                sickLeaveMultiplier, antibiotic, benzodiazepine, generic, campaign, contactOffset);
    }

    Practitioner withCampaign(CampaignAction action, int offset) {
        return new Practitioner(id, department, specialty, gp, rank, postalCode, firstPatient, patients, tier, casemix,
                sickLeaveMultiplier, antibioticMultiplier, benzodiazepineMultiplier, genericMultiplier, action, offset);
    }
}
