package dev.cpdoctor.analysis.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Warning event saying the apiserver could not call an admission webhook (DOMAIN.md
 * cause 4): the live sign that a webhook is blocking requests now, e.g. a ReplicaSet that
 * cannot create its pods.
 *
 * @param namespace the event's namespace
 * @param involvedObject kind/name of the object the event is about, e.g.
 * ReplicaSet/kyverno-admission-controller-6d8f9c7b5d
 * @param reason the event's reason, e.g. FailedCreate
 * @param message the event's message, cut to {@link #MAX_MESSAGE} characters
 * @param count how often it happened (an event series counts once per occurrence)
 * @param lastSeen when it last happened; null when the event carries no time at all
 */
public record WebhookCallFailure(String namespace, String involvedObject, String reason, String message, int count,
		Instant lastSeen) {

	/** What the apiserver writes when a webhook call fails, whatever the webhook. */
	public static final String PHRASE = "failed calling webhook";

	public static final int MAX_MESSAGE = 400;

	private static final Pattern WEBHOOK = Pattern.compile(PHRASE + " \"([^\"]{1,253})\"");

	public WebhookCallFailure {
		Objects.requireNonNull(message, "message");
		namespace = (namespace != null) ? namespace : "";
		involvedObject = (involvedObject != null) ? involvedObject : "";
		reason = (reason != null) ? reason : "";
		message = cut(message);
		count = Math.max(count, 1);
	}

	/** Whether an event message is about a failed webhook call. */
	public static boolean isAbout(String message) {
		return message != null && message.contains(PHRASE);
	}

	/**
	 * The webhook named in the message (mutate.kyverno.svc-fail), null when it names
	 * none.
	 */
	public String webhook() {
		Matcher matcher = WEBHOOK.matcher(this.message);
		return matcher.find() ? matcher.group(1) : null;
	}

	private static String cut(String message) {
		return (message.length() <= MAX_MESSAGE) ? message : message.substring(0, MAX_MESSAGE - 1) + "\u2026";
	}

}
