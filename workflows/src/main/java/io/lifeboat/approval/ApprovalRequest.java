package io.lifeboat.approval;

/**
 * What a person sends to approve a waiting step ({@code lifeboat approve WORKFLOW_ID STEP --by
 * NAME}). One record, so fields can be added without breaking the update's signature.
 *
 * @param step the waiting step's name, as {@link Approvable#waitingSteps()} lists it
 * @param by who approves; required, it is what the audit trail shows
 * @param reason optional free text ("checked the restored row counts")
 * @param value optional data the step needs from the person, e.g. a new host's address for a
 *     provisioning step; required when the step says so ({@link WaitingStep#valueRequired()})
 */
public record ApprovalRequest(String step, String by, String reason, String value) {}
