package fr.atypie.quality;

import org.apache.spark.sql.Column;

/**
 * One row check: where {@code violated} is true (null counts as false) the row goes to quarantine
 * under {@code rule}, with {@code reason} built from the row's values (never a patient identifier).
 */
record Check(QuarantineRule rule, Column violated, Column reason) {}
