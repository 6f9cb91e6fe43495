"""The permission matrix: who may see and do what, per URL name, written as data.

Read it as a specification, not as a copy of the code: each audience below names the roles of
tests/security/world.py that stand in a relation to an object (holds it, oversees it, is named
on it…), and each row says what every role gets on one URL for one object of the world:

- 200 the page; 302 an action done (or a page that redirects, e.g. to a form already filled);
- FORM an invalid form shown again (200 or 400): the action was allowed, its input was not;
- TURNED_AWAY a redirect with an explanation, the action refused: nothing may change;
- "login" a redirect to the login page (anonymous visitors on pages that need an account);
- 403 an object the role sees, an action it may not do;
- 404 an object the role may not see (it does not exist for them);
- "admin_login" the admin's own login page.

A refused POST (403, 404, login) must change nothing (test_permission_matrix.py compares a
fingerprint of the rows actions change, activity log included).

Rules of thumb written down here: whoever may not see an object gets 404 on every URL under it;
a draft call is its managers'; a draft application never submitted is its applicants'; an
assessment is read by its project's holders, the State services overseeing the project, the
experts named on it (and on the project's other assessments, once submitted).
"""

from tests.security.world import ROLES

GET, POST = "GET", "POST"
FORM = "form"  # 200 or 400: an invalid form shown again
TURNED_AWAY = "turned away"  # 302, and nothing changed
ANONYMOUS = "anonymous"
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}

# --- Audiences: roles by their relation to the world's objects ---------------------------------

ADMIN = {"admin"}  # platform administrator: every object but the applicants' drafts
SAINT_OUEN = {"holder"}  # members of Saint-Ouen: the Docks, the private project, the applications
HOLDERS = SAINT_OUEN | ADMIN  # who edits Saint-Ouen's projects
# State services overseeing Saint-Ouen (93, Île-de-France, France); the PACA DREAL does not.
OVERSEERS = {"referent_ddt93", "referent_dreal_idf", "manager_national"}
STATE_SERVICES = OVERSEERS | {"referent_other", "manager_paca"}
PROGRAMME_MANAGERS = {"manager_paca", "manager_national"} | ADMIN  # anyone managing a programme
# Managers of the DGALN's programmes: the matrix's calls and the label campaign.
CALL_MANAGERS = {"manager_national"} | ADMIN
CALL_INSTRUCTORS = CALL_MANAGERS | STATE_SERVICES  # open a published call's instruction
ORG_ADMINS = SAINT_OUEN | ADMIN  # Saint-Ouen's holder administers its organisation
NAMED_EXPERT = {"expert_assigned"}  # lead expert of the Docks' expertises, label coordinator
# The private project: its holders, the State services overseeing it, and the expert on the
# team of its support (the Cerema 2022 follow-up of the demo).
PROJECT_VIEWERS = HOLDERS | OVERSEERS | NAMED_EXPERT

CHARTER_READERS = HOLDERS | OVERSEERS  # the Docks' charter: its signatory and the State

# Assessments
DRAFT_READERS = HOLDERS | OVERSEERS  # a draft self-assessment: holders, overseers (read-only)
DOCKS_READERS = HOLDERS | OVERSEERS | NAMED_EXPERT  # submitted assessments of the Docks
SUPERVISORS = {"manager_national"} | ADMIN  # programme managers overseeing the project

# Applications (Saint-Ouen's, on the published call of the DGALN)
APPLICANTS = SAINT_OUEN
CO_APPLICANT = {"co_applicant"}
INSTRUCTORS = CALL_MANAGERS | {"referent_ddt93", "referent_dreal_idf"}  # of Saint-Ouen's files
REVIEWER = {"reviewer"}
SUBMITTED_VIEWERS = APPLICANTS | CO_APPLICANT | INSTRUCTORS | REVIEWER
THREAD = APPLICANTS | CO_APPLICANT | INSTRUCTORS  # messages and their attachments
DECIDED_VIEWERS = APPLICANTS | INSTRUCTORS

# Label
FILE_VIEWERS = APPLICANTS | NAMED_EXPERT | INSTRUCTORS  # the Docks' label file
CAMPAIGN_DASHBOARD = CALL_MANAGERS | STATE_SERVICES  # managers and every DDT(M)/DREAL
LOCAL_SESSION = {"referent_ddt93"} | ADMIN  # runs the Seine-Saint-Denis commission


# --- Row builders ------------------------------------------------------------------------------


def rule(*grants, others, anonymous="login"):
    """{role: expected}: `others` for every signed-in role not granted, then each (roles,
    status) of `grants` in order (later ones win)."""
    row = dict.fromkeys(SIGNED_IN, others)
    row[ANONYMOUS] = anonymous
    for roles, status in grants:
        row.update(dict.fromkeys(roles, status))
    return row


def public(status=200):
    return dict.fromkeys(EVERYONE, status)


def signed_in(status=200):
    return rule(others=status)


def see(viewers, *, others=404, anonymous="login", status=200):
    """A page of an object: `viewers` get it, whoever else may not see the object gets 404."""
    return rule((viewers, status), others=others, anonymous=anonymous)


def act(doers, done=302, *, readers=(), others=404):
    """An action on an object: `doers` do it, `readers` (who see the object) are refused."""
    return rule((readers, 403), (doers, done), others=others)


def methods(get, post):
    return {GET: get, POST: post}


# --- The table: URL name → {world object key: row, or {GET: row, POST: row}} -------------------

PUBLIC = {"": public()}
SIGNED_IN_PAGE = {"": signed_in()}

MATRIX = {
    # Shell, accounts, reference data: public pages, or any account's own pages.
    "core:home": PUBLIC,
    "core:accessibility": PUBLIC,
    "core:legal": PUBLIC,
    "core:privacy": PUBLIC,
    "core:sitemap": PUBLIC,
    "core:health": PUBLIC,
    "core:dashboard": SIGNED_IN_PAGE,
    "core:scheduled_jobs": {"": act(ADMIN, 200, others=403)},  # platform administrators
    "accounts:login": {"": rule(others=302, anonymous=200)},  # signed in: sent on
    "accounts:logout": {"": signed_in(302)},
    "accounts:profile": SIGNED_IN_PAGE,
    "accounts:password_change": SIGNED_IN_PAGE,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,  # an invalid link: the page says so
    "accounts:password_reset_complete": PUBLIC,
    # Notifications: each person's own; someone else's notification does not exist for them.
    "notifications:list": SIGNED_IN_PAGE,
    "notifications:preferences": {"": methods(signed_in(), signed_in(FORM))},
    "notifications:read_all": {"": signed_in(302)},
    "notifications:read": {"notification.holder": act(SAINT_OUEN)},
    "territories:search": PUBLIC,
    "territories:autocomplete": PUBLIC,
    "territories:autocomplete_json": PUBLIC,
    "organisations:detail": {"organisation.saint_ouen": public()},
    "organisations:territory": {"commune.saint_ouen": public()},
    # Members: Saint-Ouen's administrator (its holder) and platform superusers manage them.
    "organisations:members": {"organisation.saint_ouen": act(ORG_ADMINS, 200, others=403)},
    "organisations:invite": {"organisation.saint_ouen": act(ORG_ADMINS, others=403)},
    "organisations:member_update": {"membership.saint_ouen_colleague": act(ORG_ADMINS, others=403)},
    "organisations:member_remove": {"membership.saint_ouen_colleague": act(ORG_ADMINS, others=403)},
    "organisations:invitation_resend": {"invitation.saint_ouen": act(ORG_ADMINS, others=403)},
    "organisations:invitation_cancel": {"invitation.saint_ouen": act(ORG_ADMINS, others=403)},
    # An invitation's link: anyone holding it sees it; only the invited address (no account
    # yet in the world) may answer — by creating its account, so signed-in roles are turned away.
    "organisations:invitation": {
        "invitation.saint_ouen": methods(public(), rule(others=TURNED_AWAY, anonymous=FORM))
    },
    # Writing to a State service: anyone signed in.
    "organisations:contact": {"organisation.ud_drieat_93": methods(signed_in(), signed_in(302))},
    "referentiel:index": PUBLIC,
    "referentiel:version": PUBLIC,
    "referentiel:commitment": PUBLIC,
    # Projects: the Docks are public, the other project private.
    "projects:list": PUBLIC,
    "projects:create": SIGNED_IN_PAGE,  # every role belongs to an organisation (or is admin)
    "projects:detail": {
        "project.docks": public(),
        "project.private": see(PROJECT_VIEWERS, anonymous=404),
    },
    "projects:timeline": {
        "project.docks": public(),
        "project.private": see(PROJECT_VIEWERS, anonymous=404),
    },
    "projects:edit": {
        "project.docks": methods(act(HOLDERS, 200, others=403), act(HOLDERS, FORM, others=403)),
        "project.private": methods(
            act(HOLDERS, 200, readers=PROJECT_VIEWERS), act(HOLDERS, FORM, readers=PROJECT_VIEWERS)
        ),
    },
    # Assessments of a project: the list is as visible as the project.
    "assessments:project": {"project.docks": signed_in(), "project.private": see(PROJECT_VIEWERS)},
    "assessments:gaps": {"project.docks": signed_in(), "project.private": see(PROJECT_VIEWERS)},
    "assessments:gaps_export": {
        "project.docks": signed_in(),
        "project.private": see(PROJECT_VIEWERS),
    },
    "assessments:compare_pick": {"project.docks": signed_in(302)},
    # Opening an expertise: the overseeing State services (holders: self-assessments only).
    "assessments:create": {
        "project.docks": rule((OVERSEERS | ADMIN, 302), (SAINT_OUEN, FORM), others=403),
        "project.private": rule(
            (NAMED_EXPERT, 403), (OVERSEERS | ADMIN, 302), (SAINT_OUEN, FORM), others=404
        ),
    },
    # One assessment: readers see it, writers change it while it is a draft.
    "assessments:detail": {
        "assessment.self_draft": see(DRAFT_READERS),
        "assessment.self_submitted": see(DOCKS_READERS),
        "assessment.expertise_submitted": see(DOCKS_READERS),
        "assessment.expertise_validated": see(DOCKS_READERS),
    },
    "assessments:results": {
        "assessment.self_draft": see(DRAFT_READERS),
        "assessment.self_submitted": see(DOCKS_READERS),
        "assessment.expertise_submitted": see(DOCKS_READERS),
        "assessment.expertise_validated": see(DOCKS_READERS),
    },
    "assessments:report": {
        "assessment.self_draft": see(DRAFT_READERS),
        "assessment.self_submitted": see(DOCKS_READERS),
        "assessment.expertise_submitted": see(DOCKS_READERS),
        "assessment.expertise_validated": methods(see(DOCKS_READERS), act(DOCKS_READERS)),
    },
    "assessments:compare": {"assessment.self_submitted": see(DOCKS_READERS)},
    "assessments:report_status": {"report.ready": see(DOCKS_READERS)},
    "assessments:report_download": {"report.ready": see(DOCKS_READERS)},
    "assessments:report_retry": {"report.failed": act(DOCKS_READERS)},
    "assessments:evidence": {"evidence.draft": see(DRAFT_READERS)},
    "assessments:answer": {"assessment.self_draft": act(HOLDERS, readers=OVERSEERS)},
    "assessments:synthesis": {"assessment.self_draft": act(HOLDERS, readers=OVERSEERS)},
    "assessments:evidence_add": {
        "assessment.self_draft": methods(
            act(HOLDERS, 200, readers=OVERSEERS), act(HOLDERS, readers=OVERSEERS)
        ),
    },
    "assessments:gap_add": {
        "assessment.self_draft": methods(
            act(HOLDERS, 200, readers=OVERSEERS), act(HOLDERS, readers=OVERSEERS)
        ),
    },
    "assessments:evidence_remove": {"evidence.draft": act(HOLDERS, readers=OVERSEERS)},
    # Gap follow-up: writers, holders and supervising managers; after validation too.
    "assessments:gap_status": {
        "assessment.self_draft": act(HOLDERS | SUPERVISORS, readers=DRAFT_READERS),
        "assessment.expertise_validated": act(
            HOLDERS | SUPERVISORS | NAMED_EXPERT, readers=DOCKS_READERS
        ),
    },
    # Validation: the lead expert or a supervising manager. Submitting: the writers.
    "assessments:transition": {
        "assessment.expertise_submitted": act(NAMED_EXPERT | SUPERVISORS, readers=DOCKS_READERS),
        "assessment.self_draft": act(HOLDERS, readers=DRAFT_READERS),
    },
    # Naming experts: the overseeing State services and the lead expert.
    "assessments:experts": {
        "assessment.expertise_submitted": methods(
            act(OVERSEERS | NAMED_EXPERT | ADMIN, 200, readers=DOCKS_READERS),
            act(OVERSEERS | NAMED_EXPERT | ADMIN, readers=DOCKS_READERS),
        ),
    },
    # Calls: public once published, their managers' before.
    "calls:finder": PUBLIC,
    "calls:alert_create": {"": public(302)},
    "calls:alert_confirm": {"alert": public()},
    "calls:alert_unsubscribe": {"alert": public()},
    "calls:programme": {"programme": public()},
    "calls:manage": {"": act(PROGRAMME_MANAGERS, 200, others=403)},
    "calls:programme_create": {
        "": methods(
            act(PROGRAMME_MANAGERS, 200, others=403), act(PROGRAMME_MANAGERS, FORM, others=403)
        ),
    },
    "calls:programme_edit": {
        "programme": methods(
            act(CALL_MANAGERS, 200, others=403), act(CALL_MANAGERS, FORM, others=403)
        ),
    },
    "calls:call_create": {
        "programme": methods(
            act(CALL_MANAGERS, 200, others=403), act(CALL_MANAGERS, FORM, others=403)
        ),
    },
    "calls:detail": {
        "call.published": public(),
        "call.draft": see(CALL_MANAGERS, anonymous=404),
    },
    "calls:call_edit": {
        "call.published": methods(
            act(CALL_MANAGERS, 200, others=403), act(CALL_MANAGERS, FORM, others=403)
        ),
        "call.draft": methods(act(CALL_MANAGERS, 200), act(CALL_MANAGERS, FORM)),
    },
    "calls:document": {
        "document.published": public(),
        "document.draft": see(CALL_MANAGERS, anonymous=404),
    },
    "calls:call_publish": {"call.draft": act(CALL_MANAGERS)},
    "calls:call_archive": {"call.published": act(CALL_MANAGERS, others=403)},
    "calls:for_project": {
        "project.docks": signed_in(302),
        "project.private": see(PROJECT_VIEWERS, status=302),
    },
    # Applications: lists of one's own, and a call's pages.
    "applications:mine": SIGNED_IN_PAGE,
    "applications:reviews": SIGNED_IN_PAGE,
    "applications:instructing": SIGNED_IN_PAGE,  # each sees the files it instructs
    "applications:project": {
        "project.docks": signed_in(),
        "project.private": see(PROJECT_VIEWERS),
    },
    "applications:start": {"call.published": signed_in(), "call.draft": signed_in(404)},
    "applications:laureates": {"call.published": public(), "call.draft": public(404)},
    # Instruction: the call's managers and, once published, every State service (each
    # listing the files of its territory). A draft call's: its managers only.
    "applications:dashboard": {
        "call.published": act(CALL_INSTRUCTORS, 200, others=403),
        "call.draft": act(CALL_MANAGERS, 200),
    },
    "applications:ranking": {
        "call.published": act(CALL_INSTRUCTORS, 200, others=403),
        "call.draft": act(CALL_MANAGERS, 200),
    },
    "applications:export": {
        "call.published": act(CALL_INSTRUCTORS, 200, others=403),
        "call.draft": act(CALL_MANAGERS, 200),
    },
    "applications:export_start": {
        "call.published": act(CALL_INSTRUCTORS, others=403),
        "call.draft": act(CALL_MANAGERS),
    },
    "applications:bulk": {
        "call.published": act(CALL_INSTRUCTORS, others=403),
        "call.draft": act(CALL_MANAGERS),
    },
    # The jury's and the call builder's pages: its managers.
    "applications:deliberation": {
        "call.published": act(CALL_MANAGERS, 200, others=403),
        "call.draft": act(CALL_MANAGERS, 200),
    },
    "applications:forms": {
        "call.published": methods(
            act(CALL_MANAGERS, 200, others=403), act(CALL_MANAGERS, others=403)
        ),
        "call.draft": methods(act(CALL_MANAGERS, 200), act(CALL_MANAGERS)),
    },
    "applications:grid": {
        "call.published": methods(
            act(CALL_MANAGERS, 200, others=403), act(CALL_MANAGERS, others=403)
        ),
        "call.draft": methods(act(CALL_MANAGERS, 200), act(CALL_MANAGERS)),
    },
    "applications:form_edit": {
        "call.published": act(CALL_MANAGERS, 200, others=403),  # a published version: refused
        "call.draft": act(CALL_MANAGERS, 200),
    },
    "applications:field_op": {
        "call.published": act(CALL_MANAGERS, others=403),
        "call.draft": act(CALL_MANAGERS),
    },
    # One application. A draft never submitted is its applicants' only.
    "applications:detail": {
        "application.draft": see(APPLICANTS),
        "application.submitted": see(SUBMITTED_VIEWERS),
        "application.decided": see(DECIDED_VIEWERS),
    },
    "applications:edit": {
        "application.draft": see(APPLICANTS),
        # No longer editable: editors are sent back to the file, other viewers refused.
        "application.submitted": act(APPLICANTS | CO_APPLICANT, readers=SUBMITTED_VIEWERS),
        "application.decided": act(APPLICANTS, readers=DECIDED_VIEWERS),
    },
    "applications:autosave": {"application.draft": act(APPLICANTS, 200)},
    "applications:act": {"application.submitted": act(CALL_MANAGERS, readers=SUBMITTED_VIEWERS)},
    "applications:invite": {
        "application.draft": act(APPLICANTS),
        "application.submitted": act(APPLICANTS | CO_APPLICANT, readers=SUBMITTED_VIEWERS),
    },
    # Naming the project (the organisation's or a co-applicant's): whoever edits the file.
    "applications:attach_project": {
        "application.draft": act(APPLICANTS),
        "application.submitted": act(APPLICANTS | CO_APPLICANT, readers=SUBMITTED_VIEWERS),
    },
    "applications:message": {
        "application.draft": act(APPLICANTS),
        "application.submitted": act(THREAD, readers=SUBMITTED_VIEWERS),
    },
    "applications:interview": {
        "application.submitted": act(INSTRUCTORS, readers=SUBMITTED_VIEWERS),
    },
    "applications:file": {"answer_file.submitted": see(SUBMITTED_VIEWERS)},
    # Reviewers see the file, not the thread: its attachments do not exist for them.
    "applications:attachment": {
        "message.submitted": see(THREAD),
        "message.draft": see(APPLICANTS),
    },
    "applications:letter": {"application.decided": see(DECIDED_VIEWERS)},
    # The acknowledgement of receipt exists once the file is submitted (a draft has none).
    "applications:receipt": {
        "application.draft": see(set()),
        "application.submitted": see(THREAD),
        "application.decided": see(DECIDED_VIEWERS),
    },
    # The jury prepares, previews and sends letters; the world's letter is sent already: the form
    # is refused (empty), and sending it again is turned away.
    "applications:letter_prepare": {
        "application.decided": methods(
            act(CALL_MANAGERS, 200, readers=DECIDED_VIEWERS),
            act(CALL_MANAGERS, FORM, readers=DECIDED_VIEWERS),
        )
    },
    "applications:letter_preview": {
        "application.decided": act(CALL_MANAGERS, 200, readers=DECIDED_VIEWERS)
    },
    "applications:letter_send": {
        "application.decided": act(CALL_MANAGERS, TURNED_AWAY, readers=DECIDED_VIEWERS)
    },
    # Someone else's invitation: refused with a message, nothing changes.
    "applications:accept": {"co_applicant": signed_in(TURNED_AWAY)},
    "applications:export_status": {"export.done": see({"manager_national"})},
    "applications:export_download": {"export.done": see({"manager_national"})},
    # Only its author starts an export again.
    "applications:export_retry": {"export.failed": act({"manager_national"})},
    # Opinions: instructors ask; the DDT 93 referent, asked, answers; its file is read by
    # instructors (and the referent); an outside expert's link: a visitor gets the account form,
    # an account of another address is turned away. Annotations: instructors only.
    "applications:opinions": SIGNED_IN_PAGE,
    "applications:opinion_accept": {"opinion.outside": rule(others=TURNED_AWAY, anonymous=200)},
    "applications:opinion_ask": {
        "application.submitted": act(INSTRUCTORS, readers=SUBMITTED_VIEWERS),
    },
    "applications:opinion_answer": {
        "opinion.pending": rule((INSTRUCTORS, 403), ({"referent_ddt93"}, 302), others=404),
    },
    "applications:opinion_file": {"opinion_file.submitted": see(INSTRUCTORS)},
    "applications:annotate": {"application.submitted": act(INSTRUCTORS, readers=SUBMITTED_VIEWERS)},
    "applications:usual_experts": {
        "programme": methods(
            act(CALL_MANAGERS, 200, others=403), act(CALL_MANAGERS, FORM, others=403)
        ),
    },
    "applications:usual_expert_remove": {"usual_expert": act(CALL_MANAGERS, others=403)},
    "applications:review": {
        "review.submitted": see(REVIEWER),
        "review.conflict": see({"reviewer_conflict"}),
    },
    # Label: public pages, then the holders', the State's, the experts' and the commissions'.
    "labels:index": PUBLIC,
    "labels:key_figures": PUBLIC,
    "labels:certificate": {"label_step.docks": public()},
    "labels:project": {
        "project.docks": public(),
        "project.private": see(PROJECT_VIEWERS, anonymous=404),
    },
    "labels:sign_charter": {
        "project.docks": act(HOLDERS, others=403),  # signed already: sent to the charter
        "project.private": act(HOLDERS, 200, readers=PROJECT_VIEWERS),
    },
    "labels:apply": {
        "project.docks": methods(act(HOLDERS, 200, others=403), act(HOLDERS, FORM, others=403)),
        "project.private": methods(
            act(HOLDERS, 200, readers=PROJECT_VIEWERS), act(HOLDERS, FORM, readers=PROJECT_VIEWERS)
        ),
    },
    "labels:charter": {
        "charter.docks": methods(see(CHARTER_READERS), act(OVERSEERS | ADMIN, readers=HOLDERS)),
    },
    "labels:charter_document": {"charter.docks": see(CHARTER_READERS)},
    # The label programme's managers open the annual campaign (an empty form is shown again).
    "labels:new_campaign": {
        "": methods(act(CALL_MANAGERS, 200, others=403), act(CALL_MANAGERS, FORM, others=403))
    },
    "labels:campaign": {"campaign": act(CAMPAIGN_DASHBOARD, 200, others=403)},
    "labels:new_session": {"campaign": act(CAMPAIGN_DASHBOARD, FORM, others=403)},
    "labels:file": {
        "label_file.docks": see(FILE_VIEWERS),
        "label_file.in_expertise": see(NAMED_EXPERT | CALL_MANAGERS),
    },
    "labels:assign_experts": {"label_file.submitted": act(CALL_MANAGERS)},
    "labels:schedule_visit": {
        "label_file.in_expertise": act(NAMED_EXPERT, readers=CALL_MANAGERS),
    },
    # The expertise itself is not submitted yet: the coordinator is told so.
    "labels:give_opinion": {
        "label_file.in_expertise": act(NAMED_EXPERT, FORM, readers=CALL_MANAGERS),
    },
    # Issue 15: the file's two experts comment its performance check while it is in expertise
    # (no indicator chosen here: the form is shown again).
    "labels:comment_indicator": {
        "label_file.in_expertise": act(NAMED_EXPERT, FORM, readers=CALL_MANAGERS),
    },
    "labels:session": {
        "session.local": methods(
            see(LOCAL_SESSION | CALL_MANAGERS), act(LOCAL_SESSION, readers=CALL_MANAGERS)
        ),
        "session.national": methods(see(CALL_MANAGERS), act(CALL_MANAGERS)),
    },
    # The Docks were deliberated on already: the form says so.
    "labels:deliberate": {"session.local": act(LOCAL_SESSION, FORM, readers=CALL_MANAGERS)},
    "labels:use_phase": {
        "use_phase": methods(see(DRAFT_READERS), act(HOLDERS, readers=DRAFT_READERS)),
    },
}

# --- Follow-up (issue 14): the Docks' support, opened from the decided application. Its
# followers: the programme's managers (DGALN), the holder, the State services overseeing the
# project, the experts on its team (the Cerema's assigned expert); nobody else knows it exists.
FOLLOWERS = {"manager_national", "holder", "referent_ddt93", "referent_dreal_idf",
             "expert_assigned"} | ADMIN  # fmt: skip
SUPPORT_MANAGERS = CALL_MANAGERS  # the DGALN programme's managers and administrators
CONVENTION_PREPARERS = SUPPORT_MANAGERS | NAMED_EXPERT  # and the experts on its team
# Members of the Docks' convention's parties: Saint-Ouen, the UD DRIEAT 93, the Cerema's expert.
CONVENTION_SIGNERS = {"holder", "referent_ddt93", "expert_assigned"}
MATRIX.update({
    "followup:index": SIGNED_IN_PAGE,
    "followup:detail": {"follow_up.docks": see(FOLLOWERS)},
    "followup:edit": {
        "follow_up.docks": methods(
            act(SUPPORT_MANAGERS, 200, readers=FOLLOWERS),
            act(SUPPORT_MANAGERS, FORM, readers=FOLLOWERS),
        ),
    },
    "followup:close": {"follow_up.docks": act(SUPPORT_MANAGERS, readers=FOLLOWERS)},
    # Opened already: its managers are taken to it; the application's other readers may not.
    "followup:open_from_application": {
        "application.decided": act(SUPPORT_MANAGERS, readers=DECIDED_VIEWERS),
        "application.submitted": act(set(), 403, readers=SUBMITTED_VIEWERS, others=404),
    },
    "followup:project": {
        "project.docks": signed_in(),
        "project.private": see(PROJECT_VIEWERS),
    },
    # Any programme manager may open a support for a project it sees (an empty form comes back).
    "followup:open_for_project": {
        "project.docks": methods(
            act(PROGRAMME_MANAGERS, 200, readers=SIGNED_IN),
            act(PROGRAMME_MANAGERS, FORM, readers=SIGNED_IN),
        ),
        "project.private": methods(
            act(PROGRAMME_MANAGERS & PROJECT_VIEWERS, 200, readers=PROJECT_VIEWERS),
            act(PROGRAMME_MANAGERS & PROJECT_VIEWERS, FORM, readers=PROJECT_VIEWERS),
        ),
    },
    "followup:conventions": {"follow_up.docks": see(FOLLOWERS)},
    "followup:days": {"follow_up.docks": see(FOLLOWERS)},
    "followup:grants": {"follow_up.docks": see(FOLLOWERS)},
    "followup:deliverables": {"follow_up.docks": see(FOLLOWERS)},
    # deliverables: the team plans and reviews; Saint-Ouen (the owner) and the team upload;
    # the programme's « what is due » and phase plan: its managers (and the team, what is due).
    **{
        name: {key: methods(act(SUPPORT_MANAGERS | NAMED_EXPERT, 200, readers=FOLLOWERS),
                            act(SUPPORT_MANAGERS | NAMED_EXPERT, FORM, readers=FOLLOWERS))}
        for name, key in (
            ("followup:milestone_add", "follow_up.docks"),
            ("followup:deliverable_add", "follow_up.docks"),
            ("followup:milestone_edit", "milestone.docks"),
            ("followup:deliverable_edit", "deliverable.docks"),
        )
    },
    "followup:deliverable": {"deliverable.docks": see(FOLLOWERS)},
    "followup:deliverable_upload": {
        "deliverable.docks": act(
            SUPPORT_MANAGERS | NAMED_EXPERT | SAINT_OUEN, FORM, readers=FOLLOWERS
        )
    },
    "followup:deliverable_review": {
        "deliverable.docks": act(SUPPORT_MANAGERS | NAMED_EXPERT, FORM, readers=FOLLOWERS)
    },
    "followup:deliverable_version": {"deliverable_version.docks": see(FOLLOWERS)},
    "followup:programme_due": {
        "programme.followup": rule((SUPPORT_MANAGERS | NAMED_EXPERT, 200), others=403)
    },
    "followup:phase_plan": {
        "programme.followup": methods(
            rule((SUPPORT_MANAGERS, 200), others=403), rule((SUPPORT_MANAGERS, FORM), others=403)
        ),
    },
    # A bearer address for calendar apps: whoever has it reads its owner's due dates.
    "followup:calendar": {"follow_up.docks": public()},
    # Renewing one's own calendar address: whoever sees the follow-up (it shows there).
    "followup:calendar_renew": {"follow_up.docks": act(FOLLOWERS)},
    "followup:roadmap": {"follow_up.docks": see(FOLLOWERS)},
    # Conventions: the managers and the follow-up's experts prepare them; the Docks' one is sent
    # already (its form sends them back to it); the members of its parties sign (Saint-Ouen has).
    "followup:convention_prepare": {
        "follow_up.docks": methods(
            act(CONVENTION_PREPARERS, readers=FOLLOWERS),
            act(CONVENTION_PREPARERS, FORM, readers=FOLLOWERS),
        ),
    },
    "followup:convention_edit": {
        "convention.docks": methods(
            act(CONVENTION_PREPARERS, readers=FOLLOWERS),
            act(CONVENTION_PREPARERS, TURNED_AWAY, readers=FOLLOWERS),
        ),
    },
    "followup:convention_transition": {
        "convention.docks": act(CONVENTION_PREPARERS, TURNED_AWAY, readers=FOLLOWERS),
    },
    "followup:convention_amend": {
        "convention.docks": act(CONVENTION_PREPARERS, TURNED_AWAY, readers=FOLLOWERS),
    },
    "followup:convention_sign": {
        "convention.docks": act(CONVENTION_SIGNERS, FORM, readers=FOLLOWERS),
    },
    "followup:convention_document": {"convention.docks": see(FOLLOWERS)},
    "followup:convention_scan": {"convention_party.saint_ouen": see(FOLLOWERS)},

    # roadmap: its managers and experts turn gaps into actions and edit them (an empty form
    # comes back, or the section with a message); the beneficiary says how an action goes.
    "followup:roadmap_convert": {
        "follow_up.docks": act(SUPPORT_MANAGERS | NAMED_EXPERT, readers=FOLLOWERS),
    },
    "followup:roadmap_catch_up": {
        "follow_up.docks": act(SUPPORT_MANAGERS | NAMED_EXPERT, readers=FOLLOWERS),
    },
    "followup:roadmap_action": {
        "roadmap_action.docks": methods(
            act(SUPPORT_MANAGERS | NAMED_EXPERT | SAINT_OUEN, 200, readers=FOLLOWERS),
            act(SUPPORT_MANAGERS | NAMED_EXPERT | SAINT_OUEN, FORM, readers=FOLLOWERS),
        ),
    },
    # programme dashboard: each signed-in person exports the follow-ups it may see
    "followup:export": SIGNED_IN_PAGE,

    # Grants: the DGALN's managers add and change them; Saint-Ouen requests instalments (an
    # empty request comes back); the overseeing referents check (and refuse) them.
    "followup:grant_add": {
        "follow_up.docks": methods(
            act(SUPPORT_MANAGERS, 200, readers=FOLLOWERS),
            act(SUPPORT_MANAGERS, FORM, readers=FOLLOWERS),
        ),
    },
    "followup:grant_edit": {
        "grant.docks": methods(
            act(SUPPORT_MANAGERS, 200, readers=FOLLOWERS),
            act(SUPPORT_MANAGERS, FORM, readers=FOLLOWERS),
        ),
    },
    "followup:instalment_request": {
        "follow_up.docks": act(SAINT_OUEN | ADMIN, FORM, readers=FOLLOWERS),
    },
    # Refusing without a reason: whoever may refuse is turned away, nothing changes.
    "followup:instalment_decide": {
        "instalment.docks": act(
            SUPPORT_MANAGERS | {"referent_ddt93", "referent_dreal_idf"}, TURNED_AWAY,
            readers=FOLLOWERS,
        ),
    },
    "followup:instalment_document": {"instalment_document.docks": see(FOLLOWERS)},
    # A programme's budget: its managers only (programmes are public: 403 for the others).
    "followup:budget": {"programme.followup": act(SUPPORT_MANAGERS, 200, readers=SIGNED_IN)},
    "followup:budget_line_add": {
        "programme.followup": methods(
            act(SUPPORT_MANAGERS, 200, readers=SIGNED_IN),
            act(SUPPORT_MANAGERS, FORM, readers=SIGNED_IN),
        ),
    },
    "followup:budget_line_edit": {
        "budget_line.docks": methods(
            act(SUPPORT_MANAGERS, 200, readers=SIGNED_IN),
            act(SUPPORT_MANAGERS, FORM, readers=SIGNED_IN),
        ),
    },
    "followup:grants_export": {"programme.followup": act(SUPPORT_MANAGERS, 200, readers=SIGNED_IN)},
    "followup:grants_open_data": PUBLIC,
})  # fmt: skip

# --- Indicators (issue 15): public projects' boards for everyone signed in; the holders record
# (an empty form comes back); a restricted value for the holders, overseers and named experts.
MATRIX.update({
    "indicators:board": {"project.docks": signed_in(), "project.private": see(PROJECT_VIEWERS)},
    "indicators:indicator": {
        "project.docks": methods(signed_in(), act(HOLDERS, FORM, readers=SIGNED_IN)),
        "project.private": methods(
            see(PROJECT_VIEWERS), act(HOLDERS, FORM, readers=PROJECT_VIEWERS)
        ),
    },
    "indicators:template": {
        "project.docks": act(HOLDERS, 200, readers=SIGNED_IN),
        "project.private": act(HOLDERS, 200, readers=PROJECT_VIEWERS),
    },
    "indicators:export": {"project.docks": signed_in(), "project.private": see(PROJECT_VIEWERS)},
    "indicators:import": {
        "project.docks": methods(
            act(HOLDERS, 200, readers=SIGNED_IN), act(HOLDERS, FORM, readers=SIGNED_IN)
        ),
        "project.private": methods(
            act(HOLDERS, 200, readers=PROJECT_VIEWERS), act(HOLDERS, FORM, readers=PROJECT_VIEWERS)
        ),
    },
    "indicators:custom_add": {
        "project.docks": methods(
            act(HOLDERS, 200, readers=SIGNED_IN), act(HOLDERS, FORM, readers=SIGNED_IN)
        ),
        "project.private": methods(
            act(HOLDERS, 200, readers=PROJECT_VIEWERS), act(HOLDERS, FORM, readers=PROJECT_VIEWERS)
        ),
    },
    # An import's page is its author's only.
    "indicators:import_status": {"value_import.holder": see(SAINT_OUEN)},
    # A programme's values (CSV, XLSX): its managers only (programmes are public: 403 for the
    # others), the DGALN's for the programme of the Docks' decided application.
    "indicators:programme_csv": {"programme.followup": act(CALL_MANAGERS, 200, readers=SIGNED_IN)},
    "indicators:programme_xlsx": {
        "programme.followup": act(CALL_MANAGERS, 200, readers=SIGNED_IN)
    },

    # days: the team (named experts, managers) logs and answers; the beneficiary asks. An empty
    # form comes back (FORM); the activity is its expert's (and the managers').
    "followup:days_log": {
        "follow_up.docks": methods(
            act(SUPPORT_MANAGERS | {"expert_assigned"}, 200, readers=FOLLOWERS),
            act(SUPPORT_MANAGERS | {"expert_assigned"}, FORM, readers=FOLLOWERS),
        ),
    },
    "followup:days_request": {
        "follow_up.docks": methods(
            act(SUPPORT_MANAGERS | {"holder"}, 200, readers=FOLLOWERS),
            act(SUPPORT_MANAGERS | {"holder"}, FORM, readers=FOLLOWERS),
        ),
    },
    "followup:days_activity_edit": {
        "support_activity.framing": methods(
            act(SUPPORT_MANAGERS | {"expert_assigned"}, 200, readers=FOLLOWERS),
            act(SUPPORT_MANAGERS | {"expert_assigned"}, FORM, readers=FOLLOWERS),
        ),
    },
    "followup:days_activity_delete": {
        "support_activity.framing": act(SUPPORT_MANAGERS | {"expert_assigned"}, readers=FOLLOWERS),
    },
    "followup:days_request_answer": {
        "expertise_request.docks": act(SUPPORT_MANAGERS | {"expert_assigned"}, readers=FOLLOWERS),
    },
})  # fmt: skip

# The admin, one rule: its login page for whoever is not staff (anonymous visitors meet the
# site's login first on model pages), the page — or its own answer: a missing object, a
# read-only model — for staff. Checked in the test (admin_expectation).
STAFF = ADMIN

# --- Who may see each private marker (tests/security/world.py puts them in the objects) --------

MARKER_AUDIENCES = {
    "project.private": PROJECT_VIEWERS,
    "assessment.self_draft": DRAFT_READERS,
    "evidence.draft": DRAFT_READERS,
    "gap.draft": DRAFT_READERS,
    "assessment.self_submitted": DOCKS_READERS,
    "assessment.expertise_submitted": DOCKS_READERS,
    "assessment.expertise_validated": DOCKS_READERS,
    "report.ready": DOCKS_READERS,
    "use_phase": DRAFT_READERS,
    "call.draft": CALL_MANAGERS,
    "application.draft": APPLICANTS,
    "message.draft": APPLICANTS,
    "application.submitted": SUBMITTED_VIEWERS,
    "answer_file.submitted": SUBMITTED_VIEWERS,
    "message.submitted": THREAD,
    "attachment.submitted": THREAD,
    "review.submitted": INSTRUCTORS | REVIEWER,
    "application.decided": DECIDED_VIEWERS,
    "opinion.submitted": INSTRUCTORS,
    "opinion_file.submitted": INSTRUCTORS,
    "annotation.submitted": INSTRUCTORS,
    "export.done": {"manager_national"},
    "label_file.docks": FILE_VIEWERS,
    "charter.docks": CHARTER_READERS,
    "session.local": LOCAL_SESSION | CALL_MANAGERS,
    "session.national": CALL_MANAGERS,
    "follow_up.docks": FOLLOWERS,
    "indicator_value.restricted": DOCKS_READERS,
    "value_import.holder": SAINT_OUEN,
}


def expectation(name, key, method):
    """The row for one URL instance, or None when the table has none."""
    rows = MATRIX.get(name)
    if rows is None or key not in rows:
        return None
    row = rows[key]
    if GET in row or POST in row:
        return row.get(method)
    return row
