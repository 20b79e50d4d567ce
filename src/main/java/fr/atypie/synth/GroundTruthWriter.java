package fr.atypie.synth;

import fr.atypie.campaigns.CampaignContact.Action;
import fr.atypie.procedure.Contact;
import fr.atypie.procedure.ContactStore;
import fr.atypie.snds.SndsTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the planted ground truth beside the extract (never inside it): who was made atypical
 * and how, who was contacted by the campaign (and by the planted procedure), and how the extract was generated. No patient
 * identifier appears in these files.
 */
final class GroundTruthWriter {
    static final String PRESCRIBERS = "prescribers.csv";
    static final String CAMPAIGN = "campaign.csv";
    static final String GENERATION = "generation.json";
    /** The planted procedure's contacts (only when atypie.synth.procedure is enabled). */
    static final String CONTACTS = "contacts.csv";
    static final String SICK_LEAVE_THEME = "sick-leave";

    private GroundTruthWriter() {}

    static void write(Path dir, SynthConfig c, RegionPlan plan, Map<SndsTable, Long> rows) {
        try {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(dir.resolve(PRESCRIBERS), StandardCharsets.UTF_8)) {
                w.write("prescriber_id,dept,specialty,n_patients,tier,sick_leave_multiplier,antibiotic_multiplier,"
                        + "benzodiazepine_multiplier,generic_multiplier\n");
                for (RegionPlan.DepartmentPlan d : plan.departments()) {
                    for (Practitioner p : d.gps()) {
                        w.write(String.join(",", p.id(), d.department().code(), Integer.toString(p.specialty()),
                                Integer.toString(p.patients()), p.tier().label(), num(p.sickLeaveMultiplier()),
                                num(p.antibioticMultiplier()), num(p.benzodiazepineMultiplier()),
                                num(p.genericMultiplier())) + "\n");
                    }
                }
            }
            try (Writer w = Files.newBufferedWriter(dir.resolve(CAMPAIGN), StandardCharsets.UTF_8)) {
                w.write("prescriber_id,action,theme,m0,effect\n");
                for (Practitioner p : plan.allGps()) {
                    if (p.campaign() != null) {
                        // m0: the GP's own contact month (the campaign's M0 plus its offset when staggered).
                        String m0 = c.campaignM0().plusMonths(p.contactOffset()).toString();
                        w.write(String.join(",", p.id(), p.campaign().name(), SICK_LEAVE_THEME, m0,
                                num(c.campaign().effect(p.campaign()))) + "\n");
                    }
                }
            }
            if (plan.procedureGp().isPresent()) {
                // The contact store's own format: copied to WORK/state/contacts.csv, the refresh reads it as the teams' record.
                String gp = plan.procedureGp().get();
                new ContactStore(List.of(
                        new Contact(gp, SICK_LEAVE_THEME, Action.DAM, c.procedureDamMonth(), Contact.Outcome.DONE, "planted"),
                        new Contact(gp, SICK_LEAVE_THEME, Action.EC, c.procedureEcMonth(), Contact.Outcome.DONE, "planted")))
                        .write(dir.resolve(CONTACTS));
            }
            Map<String, Object> gen = new LinkedHashMap<>();
            gen.put("seed", c.seed());
            gen.put("scale", c.scale());
            gen.put("months", c.months());
            gen.put("first_month", c.firstMonth());
            gen.put("last_flux_month", c.lastFluxMonth());
            Map<String, Long> counts = new LinkedHashMap<>();
            for (SndsTable t : SndsTable.values()) {
                counts.put(t.name(), rows.getOrDefault(t, 0L));
            }
            gen.put("rows", counts);
            gen.put("config", c);
            Files.writeString(dir.resolve(GENERATION), Json.render(gen, "") + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ground truth in " + dir, e);
        }
    }

    private static String num(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }
}
