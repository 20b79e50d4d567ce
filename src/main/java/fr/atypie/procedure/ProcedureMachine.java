package fr.atypie.procedure;

import fr.atypie.campaigns.CampaignContact.Action;
import fr.atypie.procedure.Contact.Outcome;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The graduated procedure of art. L162-1-15 as the funds run it, one month at a time:
 * none → DAM visit → EC → observation ({@code observation-months}) → MSO with an objective
 * ({@code mso-months}) → MSAP ({@code msap-months}, when the MSO is refused or its objective not
 * met) → penalty proposal. Each step needs the previous one and the legal criterion persisting
 * after it (met on a window ending {@code persistence-after-months} or more after the step
 * began). DAM visits, EC and an MSO refusal or objective outcome are facts the teams record in
 * the contact store; observation, MSO proposal, MSAP after a failed objective and the penalty
 * proposal follow from time and the criterion. Every timed step ends; a DAM or EC step without
 * the criterion persisting closes after {@code follow-months} (improved).
 */
public final class ProcedureMachine {
    private ProcedureMachine() {}

    /** What the month brings for one prescriber and theme. */
    public record MonthInput(boolean criterion, Double ijDays, List<Contact> contacts) {
        public static MonthInput of(boolean criterion, Double ijDays, Contact... contacts) {
            return new MonthInput(criterion, ijDays, List.of(contacts));
        }
    }

    /** The state in {@code month}, from the state of the month before and the month's input. */
    public static ProcedureState next(ProcedureState prev, YearMonth month, MonthInput in, ProcedureSettings.Steps s) {
        boolean persisted = prev.step() != ProcedureStep.NONE && (prev.persisted()
                || (in.criterion() && !month.isBefore(prev.since().get().plusMonths(s.persistenceAfterMonths()))));
        Builder b = new Builder(prev, month, in, persisted, s);
        return switch (prev.step()) {
            case NONE -> fromNone(b, s);
            case DAM -> fromDam(b, s);
            case EC -> fromEc(b, s);
            case OBSERVATION -> fromObservation(b, s);
            case MSO -> fromMso(b, s);
            case MSAP -> fromMsap(b, s);
            case PENALTY_PROPOSED -> fromPenalty(b, s);
        };
    }

    private static ProcedureState fromNone(Builder b, ProcedureSettings.Steps s) {
        Optional<Contact> dam = b.contact(Action.DAM);
        Optional<Contact> ec = b.contact(Action.EC);
        if (ec.isPresent() && !s.ecAfterDamOnly()) {
            return b.to(ProcedureStep.EC, Optional.empty(), b.did(ec.get(), "Échange confraternel") + " sans visite DAM préalable.");
        }
        if (dam.isPresent()) {
            String note = ec.isPresent() ? " EC du même mois non retenu comme étape : le critère légal doit persister après la visite DAM." : "";
            return b.to(ProcedureStep.DAM, Optional.empty(), b.did(dam.get(), "Visite DAM") + "." + note);
        }
        if (ec.isPresent()) {
            return b.stay("EC de " + b.month + " non retenu comme étape de la procédure : pas de visite DAM préalable sur ce thème.");
        }
        Optional<Contact> procedure = b.in.contacts().stream().filter(c -> c.action().procedure() && c.outcome().happened()).findFirst();
        if (procedure.isPresent()) {
            return b.stay(procedure.get().action() + " de " + b.month + " non retenue : l'étape précédente (DAM, EC) manque.");
        }
        return b.stay(b.in.criterion() ? "Critère légal rempli ce mois-ci ; aucune procédure en cours." : "Aucune procédure en cours.");
    }

    private static ProcedureState fromDam(Builder b, ProcedureSettings.Steps s) {
        YearMonth since = b.prev.since().get();
        Optional<Contact> ec = b.contact(Action.EC);
        if (ec.isPresent() && b.persisted) {
            return b.to(ProcedureStep.EC, Optional.empty(), b.did(ec.get(), "Échange confraternel")
                    + " ; critère légal toujours rempli après la visite DAM de " + since + ".");
        }
        if (!b.persisted && !b.month.isBefore(since.plusMonths(s.followMonths()))) {
            return b.close(true, "Amélioré après la visite DAM de " + since + " : critère légal non rempli dans les "
                    + s.followMonths() + " mois suivants ; suivi clos.");
        }
        if (ec.isPresent()) {
            return b.stay("EC de " + b.month + " non retenu comme étape : le critère légal n'a pas encore été rempli "
                    + s.persistenceAfterMonths() + " mois ou plus après la visite DAM de " + since + ".");
        }
        return b.stay(b.prev.reason());
    }

    private static ProcedureState fromEc(Builder b, ProcedureSettings.Steps s) {
        YearMonth since = b.prev.since().get();
        if (b.in.criterion() && !b.month.isBefore(since.plusMonths(s.persistenceAfterMonths()))) {
            YearMonth until = b.month.plusMonths(s.observationMonths() - 1L);
            return b.to(ProcedureStep.OBSERVATION, Optional.of(until), "Critère légal toujours rempli en " + b.month + ", "
                    + monthsBetween(since, b.month) + " mois après l'EC de " + since + " : période d'observation de "
                    + s.observationMonths() + " mois, jusqu'à " + until + ".");
        }
        if (!b.month.isBefore(since.plusMonths(s.followMonths()))) {
            return b.close(true, "Amélioré après l'EC de " + since + " : critère légal non rempli dans les "
                    + s.followMonths() + " mois suivants ; suivi clos.");
        }
        return b.stay(b.prev.reason());
    }

    private static ProcedureState fromObservation(Builder b, ProcedureSettings.Steps s) {
        YearMonth since = b.prev.since().get();
        YearMonth until = b.prev.until().get();
        if (!b.month.isAfter(until)) {
            return b.stay(b.prev.reason());
        }
        if (!b.in.criterion()) {
            return b.close(true, "Amélioré pendant l'observation (" + since + " à " + until + ") : critère légal non rempli en "
                    + b.month + " ; procédure close.");
        }
        YearMonth end = b.month.plusMonths(s.msoMonths() - 1L);
        Double objective = b.in.ijDays() == null ? null : Math.floor(b.in.ijDays() * (1 - s.msoReduction()));
        return b.withObjective(objective).to(ProcedureStep.MSO, Optional.of(end), String.format(Locale.FRANCE,
                "Critère légal toujours rempli à la fin de l'observation (%s à %s) : MSO proposée jusqu'à %s, objectif %s.",
                since, until, end, objective == null ? "à fixer"
                        : String.format(Locale.FRANCE, "au plus %,.0f jours d'IJ prescrits sur 12 mois (−%.0f %%)",
                                objective, 100 * s.msoReduction())));
    }

    private static ProcedureState fromMso(Builder b, ProcedureSettings.Steps s) {
        YearMonth since = b.prev.since().get();
        YearMonth until = b.prev.until().get();
        Optional<Contact> refused = b.in.contacts().stream()
                .filter(c -> c.action() == Action.MSO && c.outcome() == Outcome.REFUSED).findFirst();
        if (refused.isPresent()) {
            YearMonth end = b.month.plusMonths(s.msapMonths() - 1L);
            return b.to(ProcedureStep.MSAP, Optional.of(end), "MSO refusée en " + b.month + " : MSAP jusqu'à " + end + ".");
        }
        if (!b.month.isAfter(until)) {
            return b.stay(b.prev.reason());
        }
        Optional<Outcome> recorded = b.in.contacts().stream().filter(c -> c.action() == Action.MSO)
                .map(Contact::outcome).filter(o -> o == Outcome.OBJECTIVE_MET || o == Outcome.OBJECTIVE_NOT_MET).findFirst();
        Double objective = b.prev.objective();
        boolean met;
        String measured;
        if (recorded.isPresent()) {
            met = recorded.get() == Outcome.OBJECTIVE_MET;
            measured = "résultat enregistré par l'équipe";
        } else if (objective != null && b.in.ijDays() != null) {
            met = b.in.ijDays() <= objective;
            measured = String.format(Locale.FRANCE, "%,.0f jours d'IJ prescrits sur 12 mois pour un objectif de %,.0f",
                    b.in.ijDays(), objective);
        } else {
            met = !b.in.criterion();
            measured = "sans objectif chiffré : critère légal " + (b.in.criterion() ? "toujours rempli" : "plus rempli");
        }
        if (met) {
            return b.close(true, "Objectif de la MSO (" + since + " à " + until + ") atteint (" + measured + ") ; procédure close.");
        }
        YearMonth end = b.month.plusMonths(s.msapMonths() - 1L);
        return b.to(ProcedureStep.MSAP, Optional.of(end), "Objectif de la MSO (" + since + " à " + until + ") non atteint ("
                + measured + ") : MSAP jusqu'à " + end + ".");
    }

    private static ProcedureState fromMsap(Builder b, ProcedureSettings.Steps s) {
        YearMonth since = b.prev.since().get();
        YearMonth until = b.prev.until().get();
        if (!b.month.isAfter(until)) {
            return b.stay(b.prev.reason());
        }
        if (b.in.criterion()) {
            return b.to(ProcedureStep.PENALTY_PROPOSED, Optional.of(b.month.plusMonths(s.followMonths() - 1L)),
                    "Critère légal toujours rempli après la MSAP (" + since + " à " + until
                            + ") : pénalité financière à proposer au directeur.");
        }
        return b.close(true, "Amélioré après la MSAP (" + since + " à " + until + ") : critère légal non rempli en " + b.month
                + " ; procédure close.");
    }

    private static ProcedureState fromPenalty(Builder b, ProcedureSettings.Steps s) {
        if (b.month.isAfter(b.prev.until().get())) {
            return b.close(false, "Procédure close " + s.followMonths() + " mois après la proposition de pénalité de "
                    + b.prev.since().get() + ".");
        }
        return b.stay(b.prev.reason());
    }

    static long monthsBetween(YearMonth from, YearMonth to) {
        return java.time.temporal.ChronoUnit.MONTHS.between(from, to);
    }

    /** What the team should do next, from the state. */
    static String nextStep(ProcedureState st, ProcedureSettings.Steps s) {
        return switch (st.step()) {
            case NONE -> st.criterion() ? "Visite DAM à proposer (critère légal rempli)." : "";
            case DAM -> st.persisted() ? "EC à proposer : critère légal persistant après la visite DAM."
                    : "Critère à revoir à partir de " + st.since().get().plusMonths(s.persistenceAfterMonths()) + ".";
            case EC -> "Mise en observation si le critère légal est rempli à partir de "
                    + st.since().get().plusMonths(s.persistenceAfterMonths()) + ".";
            case OBSERVATION -> "MSO à proposer en " + st.until().get().plusMonths(1) + " si le critère légal est encore rempli.";
            case MSO -> "Bilan de l'objectif en " + st.until().get().plusMonths(1) + " (refus : MSAP).";
            case MSAP -> "Bilan en " + st.until().get().plusMonths(1) + " ; pénalité à proposer si le critère légal persiste.";
            case PENALTY_PROPOSED -> "Décision du directeur sur la pénalité.";
        };
    }

    /** Builds the month's state from the previous one. */
    private static final class Builder {
        final ProcedureState prev;
        final YearMonth month;
        final MonthInput in;
        final boolean persisted;
        final ProcedureSettings.Steps settings;
        Double objective;

        Builder(ProcedureState prev, YearMonth month, MonthInput in, boolean persisted, ProcedureSettings.Steps settings) {
            this.prev = prev;
            this.settings = settings;
            this.month = month;
            this.in = in;
            this.persisted = persisted;
            this.objective = prev.objective();
        }

        Optional<Contact> contact(Action a) {
            return in.contacts().stream().filter(c -> c.action() == a && c.outcome().happened()).findFirst();
        }

        String did(Contact c, String what) {
            return what + (c.outcome() == Outcome.REFUSED ? " refusé" + (c.action() == Action.DAM ? "e" : "") + " en "
                    : " réalisé" + (c.action() == Action.DAM ? "e" : "") + " en ") + month;
        }

        Builder withObjective(Double o) {
            this.objective = o;
            return this;
        }

        ProcedureState to(ProcedureStep step, Optional<YearMonth> until, String reason) {
            return finish(new ProcedureState(prev.prescriber(), prev.theme(), month, step, Optional.of(month), until,
                    in.criterion(), false, in.ijDays(), step == ProcedureStep.MSO ? objective : null, true, false,
                    reason, ""));
        }

        ProcedureState stay(String reason) {
            return finish(new ProcedureState(prev.prescriber(), prev.theme(), month, prev.step(), prev.since(), prev.until(),
                    in.criterion(), persisted, in.ijDays(), objective, false, false, reason, ""));
        }

        ProcedureState close(boolean improved, String reason) {
            return finish(new ProcedureState(prev.prescriber(), prev.theme(), month, ProcedureStep.NONE, Optional.empty(),
                    Optional.empty(), in.criterion(), false, in.ijDays(), null, true, improved, reason, ""));
        }

        private ProcedureState finish(ProcedureState st) {
            return new ProcedureState(st.prescriber(), st.theme(), st.month(), st.step(), st.since(), st.until(),
                    st.criterion(), st.persisted(), st.ijDays(), st.objective(), st.changed(), st.improved(), st.reason(),
                    nextStep(st, settings));
        }
    }
}
