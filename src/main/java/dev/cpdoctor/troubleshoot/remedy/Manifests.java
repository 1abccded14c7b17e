package dev.cpdoctor.troubleshoot.remedy;

/**
 * Writes generated remedies as YAML, ready for {@code kubectl apply}: a leading comment
 * saying what it does and how to undo it, then the objects. The Kubernetes client's
 * models write them (source.apiserver), so every value is quoted as YAML needs.
 */
public interface Manifests {

	/** The media type of what these methods write. */
	String CONTENT_TYPE = "text/yaml";

	/** The PriorityLevelConfiguration and the FlowSchema of an APF throttle. */
	String flowSchema(FlowSchemaRemedy remedy);

	/** A ResourceQuota capping the object count of one resource in one namespace. */
	String quota(ObjectCountQuota quota);

}
