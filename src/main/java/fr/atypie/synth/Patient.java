package fr.atypie.synth;

import fr.atypie.synth.DrugCatalogue.Molecule;
import java.util.List;

/**
 * One generated beneficiary, with what the simulation needs to know about them. Dates are
 * epoch days. aldStart/aldEnd are Integer.MAX_VALUE/MIN_VALUE without ALD; death is
 * Integer.MAX_VALUE for people alive at the end of the window.
 */
record Patient(String nir, int birthYear, int sex, int ageAtStart, AldCause aldCause, int aldStart, int aldEnd,
               int death, double frailty, double dailyAllowance, List<Molecule> chronic, Practitioner gp,
               int pharmacy, int transporter) {

    static final int MALE = 1;
    static final int FEMALE = 2;

    boolean hasAld(int day) {
        return aldStart <= day && day <= aldEnd;
    }

    int age(int year) {
        return year - birthYear;
    }

    boolean alive(int day) {
        return day < death;
    }
}
