package dev.cpdoctor.troubleshoot.remedy;

/**
 * A remedy's input that is refused, naming the parameter at fault so a page or an API can
 * point at it. The message says what is allowed, in one printable line, and never echoes
 * the value.
 */
public class InvalidRemedyParameter extends IllegalArgumentException {

	private final String parameter;

	private final String rule;

	public InvalidRemedyParameter(String parameter, String message) {
		super(parameter + ": " + Printable.line(message));
		this.parameter = parameter;
		this.rule = Printable.line(message);
	}

	/**
	 * What is allowed, without the parameter's name: for "'namespace': ..." style
	 * messages.
	 */
	public String rule() {
		return this.rule;
	}

	/** "namespace", "labelSelector", ... as the remedy's parameters are named. */
	public String parameter() {
		return this.parameter;
	}

}
