package fr.atypie.quality;

/** Rows of one table quarantined under one rule, with one reason as an example (the smallest, for determinism). */
public record RuleCount(QuarantineRule rule, long rows, String sampleReason) {}
