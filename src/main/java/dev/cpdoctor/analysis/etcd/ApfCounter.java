package dev.cpdoctor.analysis.etcd;

import java.time.Instant;

/** A stored value of apiserver_flowcontrol_rejected_requests_total at one sample. */
public record ApfCounter(Instant at, String flowSchema, String priorityLevel, String reason, double total) {
}
