"""Forms: parse and check input; services and the workflow decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms import modelformset_factory
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from ecoquartier.applications import formspec
from ecoquartier.applications.form_templates import TEMPLATE_CHOICES
from ecoquartier.applications.models import CoApplicant, Criterion, FormField, Review
from ecoquartier.core.forms import EMPTY_CHOICE, DsfrFormMixin, dsfr_style
from ecoquartier.core.uploads import MB, UploadField
from ecoquartier.organisations.models import Membership, Organisation
from ecoquartier.projects.models import Project
from ecoquartier.territories.forms import TerritoryChoiceField
from ecoquartier.territories.models import Territory

Kind = FormField.Kind
YES_NO = [("yes", _("Oui")), ("no", _("Non"))]


class Form(DsfrFormMixin, forms.Form):
    pass


class ModelForm(DsfrFormMixin, forms.ModelForm):
    pass


# --- Answers (F-30) ---------------------------------------------------------------------------


class DraftFormMixin:
    """Required fields are shown as such (no « (optionnel) » mark) but a draft saves without
    them: what is missing blocks the submission (formspec.missing_answers), not the save."""

    use_required_attribute = False

    def full_clean(self):
        super().full_clean()
        for name in list(self._errors or {}):
            if name in self.fields and all(
                e.code == "required" for e in self.errors.as_data()[name]
            ):
                del self._errors[name]
                field = self.fields[name]
                multiple = isinstance(field, forms.MultipleChoiceField)
                self.cleaned_data[name] = [] if multiple else getattr(field, "empty_value", None)


def _field_for(spec, projects):
    """A Django field for one FormField; `required` shows the mark, DraftFormMixin keeps drafts
    savable."""
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
    if spec.kind == Kind.TEXT:
        return forms.CharField(max_length=spec.max_length or 500, **common)
    if spec.kind == Kind.LONG_TEXT:
        return forms.CharField(max_length=spec.max_length, widget=forms.Textarea, **common)
    if spec.kind == Kind.INTEGER:
        return forms.IntegerField(**common)
    if spec.kind == Kind.DECIMAL:
        return forms.DecimalField(max_digits=14, decimal_places=2, **common)
    if spec.kind == Kind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.kind == Kind.CHOICE:
        return forms.ChoiceField(
            choices=[(c, c) for c in spec.choices], widget=forms.RadioSelect, **common
        )
    if spec.kind == Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in spec.choices], widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.kind == Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if spec.kind == Kind.TERRITORY:
        return TerritoryChoiceField(kinds=(Territory.Kind.COMMUNE, Territory.Kind.EPCI), **common)
    if spec.kind == Kind.FILE:
        # The shared rules for answer files, narrowed to what the form's author asked for.
        max_size = spec.max_size_mb * MB if spec.max_size_mb else None
        return UploadField("answer", extensions=spec.extension_list(), max_size=max_size, **common)
    return forms.ModelChoiceField(queryset=projects, **common)


def _json(value):
    """A cleaned value as stored in Answers.data."""
    if value is None:
        return ""
    if isinstance(value, Territory):
        return value.token
    if isinstance(value, Project):
        return str(value.pk)
    if isinstance(value, list):
        return [str(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def answers_data(specs, values):
    """Stored answers as the form data that shows them (what a browser would post)."""
    data = QueryDict(mutable=True)
    for spec in specs:
        value = values.get(spec.key)
        if spec.kind == Kind.FILE or value in (None, "", []):
            continue
        data.setlist(spec.key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return data


class AnswersForm(DraftFormMixin, Form):
    """The form of one step version, with the applicant's saved answers as initial values."""

    def __init__(self, *args, specs, organisation, data_values=None, projects=None, **kwargs):
        super().__init__(*args, initial=self._initial(specs, data_values or {}), **kwargs)
        if projects is None:
            projects = Project.objects.filter(holders=organisation)
        self.specs = {s.key: s for s in specs}
        for spec in specs:
            self.fields[spec.key] = _field_for(spec, projects)
            self.fields[spec.key].spec = spec
        # Fields are added after DsfrFormMixin styled the (empty) form: style them now.
        dsfr_style(self)

    @staticmethod
    def _initial(specs, values):
        initial = {}
        for spec in specs:
            value = values.get(spec.key)
            if spec.kind == Kind.TERRITORY and value:
                kind, _sep, code = value.partition(":")
                value = Territory.objects.filter(kind=kind, code=code).first()
            initial[spec.key] = value
        return initial

    def sent_keys(self, base=None):
        """The fields this request speaks for: those it sent, and the checkbox groups of the
        `base` it was rendered with (a browser sends nothing for a group with nothing ticked).
        Any other field it did not send keeps its stored answer, whatever its base says."""
        keys = {key for key in self.specs if key in self.data}
        groups = {key for key, spec in self.specs.items() if spec.kind == Kind.MULTIPLE}
        return keys | (groups & set(base or ()))

    def valid_values(self, keys=None):
        """{key: JSON value} of every non-file field that parsed (among `keys`, when given),
        even if others did not: autosave keeps what it can."""
        values = {}
        for key, spec in self.specs.items():
            if spec.kind == Kind.FILE or key in self.errors or key not in self.cleaned_data:
                continue
            if keys is None or key in keys:
                values[key] = _json(self.cleaned_data[key])
        return values

    def invalid_keys(self):
        return {key for key in self.specs if key in self.errors}

    def valid_files(self):
        return {
            key: upload
            for key, upload in self.files.items()
            if key in self.specs and key not in self.errors and upload
        }


# --- Applicant ----------------------------------------------------------------------------------


class StartForm(Form):
    """The organisation applying (preselected: the one asked for in the URL, else the user's
    first) and the project the application is made for (preselected when asked for, or when the
    organisation holds only one), whose known answers prefill the form (prefill.py)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation candidate"),
        queryset=None,
        empty_label=_("Choisissez une organisation"),
    )
    project = forms.ModelChoiceField(
        label=_("Projet concerné"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("Aucun projet (candidature sans projet enregistré)"),
        help_text=_(
            "Le formulaire reprendra ce que la fiche du projet indique déjà (commune, population, "
            "état d’avancement, chiffres clés) : vous pourrez le modifier."
        ),
    )
    title = forms.CharField(
        label=_("Intitulé de la candidature"),
        max_length=250,
        required=False,
        help_text=_("Par défaut : le nom du projet."),
    )

    def __init__(self, *args, user, wanted=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(memberships__user=user).order_by("name")
        projects = Project.objects.filter(holders__in=organisations).distinct().order_by("name")
        self.fields["organisation"].queryset = organisations
        self.fields["project"].queryset = projects
        if not self.is_bound:
            self._preselect(list(organisations), projects, wanted or {})

    def _preselect(self, organisations, projects, wanted):
        """Initial choices from `wanted` ({"pour": organisation pk, "projet": project pk}, the
        call page's choices), else the only or first organisation and its only project."""
        organisation = next(
            (o for o in organisations if str(o.pk) == str(wanted.get("pour"))),
            organisations[0] if organisations else None,
        )
        if len(organisations) == 1:
            self.fields["organisation"].empty_label = None
        if organisation is None:
            return
        self.initial.setdefault("organisation", organisation.pk)
        held = list(projects.filter(holders=organisation))
        project = next((p for p in held if str(p.pk) == str(wanted.get("projet"))), None)
        if project is None and len(held) == 1:
            project = held[0]
        if project is not None:
            self.initial.setdefault("project", project.pk)

    def clean(self):
        cleaned = super().clean()
        project, organisation = cleaned.get("project"), cleaned.get("organisation")
        if project and organisation and not project.holders.filter(pk=organisation.pk).exists():
            self.add_error("project", _("Ce projet n'est pas porté par cette organisation."))
        return cleaned


class AttachProjectForm(Form):
    project = forms.ModelChoiceField(
        label=_("Projet concerné"),
        queryset=Project.objects.none(),
        empty_label=_("Choisissez un projet"),
        help_text=_(
            "Un projet de votre organisation ou d’un co-candidat qui a rejoint le dossier."
        ),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class InviteForm(Form):
    email = forms.EmailField(label=_("Adresse électronique du co-candidat"))
    role = forms.ChoiceField(
        label=_("Droits"), choices=CoApplicant.Role.choices, initial=CoApplicant.Role.EDIT
    )


class MessageForm(Form):
    body = forms.CharField(label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = UploadField("message", label=_("Pièce jointe"), required=False)


class ActionForm(Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Motif ou motivation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InterviewForm(Form):
    when = forms.DateTimeField(
        label=_("Date et heure de l'entretien"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    note = forms.CharField(
        label=_("Précisions (lieu, lien de visio)"), max_length=300, required=False
    )


# --- Instruction --------------------------------------------------------------------------------


ELIGIBILITY_CHOICES = [
    ("yes", _("Éligible")),
    ("no", _("Non éligible")),
    ("unknown", _("Non vérifiée")),
]


def reviewer_choices(call):
    """Who may be designated: reviewers, experts, managers and State referents of the
    programme's organisations (owner and partners) — a bounded list whatever the size of the
    platform."""
    roles = [
        Membership.Role.REVIEWER,
        Membership.Role.EXPERT,
        Membership.Role.PROGRAMME_MANAGER,
        Membership.Role.STATE_REFERENT,
    ]
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation_id__in=call.programme.organisation_ids(),
            memberships__role__in=roles,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "email")[:200]
    )


class BulkForm(Form):
    ACTIONS = [
        ("assign", _("Désigner des évaluateurs")),
        ("request_completion", _("Demander des compléments")),
    ]
    action = forms.ChoiceField(label=_("Action groupée"), choices=ACTIONS)
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Évaluateurs"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Compléments demandés"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = get_user_model().objects.filter(
            pk__in=[u.pk for u in reviewer_choices(call)]
        )
        self.fields["reviewers"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.email} ({u.email})"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "assign" and not cleaned.get("reviewers"):
            self.add_error("reviewers", _("Choisissez au moins un évaluateur."))
        if cleaned.get("action") == "request_completion" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Précisez les compléments demandés."))
        return cleaned


# --- Builder ------------------------------------------------------------------------------------


class TemplateForm(Form):
    template = forms.ChoiceField(label=_("Modèle de départ"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["template"].choices = TEMPLATE_CHOICES


class SectionForm(Form):
    title = forms.CharField(label=_("Titre de la nouvelle section"), max_length=200)


class FieldForm(ModelForm):
    """Add or edit a field of a draft form version. Its key, when left empty, is made from its
    label; its display condition is picked among the values of the fields before it."""

    choices_text = forms.CharField(
        label=_("Choix proposés (un par ligne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    # Their choices: the fields before this one with known answers, and those answers.
    condition_key = forms.ChoiceField(
        label=_("Afficher ce champ seulement si le champ"), required=False
    )
    condition_value = forms.ChoiceField(label=_("a pour réponse"), required=False)

    class Meta:
        model = FormField
        fields = [
            "section", "label", "key", "kind", "required", "help_text", "max_length",
            "allowed_extensions", "max_size_mb",
            "condition_key", "condition_value",
        ]  # fmt: skip

    def __init__(self, *args, form, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = form.sections.all()
        self.fields["section"].label = _("Section")
        self.fields["section"].empty_label = None
        self.initial.setdefault("choices_text", "\n".join(self.instance.choices or []))
        self.builder_form = form
        self.form_fields = list(
            FormField.objects.filter(section__form=form).order_by(
                "section__position", "section__pk", "position", "pk"
            )
        )
        others = [f for f in self.form_fields if f.pk != self.instance.pk]
        if self.instance.pk:  # a condition looks at the fields before this one
            others = others[: [f.pk for f in self.form_fields].index(self.instance.pk)]
        self.taken_keys = {f.key for f in self.form_fields if f.pk != self.instance.pk}
        self.conditions = {f.key: formspec.condition_values(f) for f in others}
        self.conditions = {key: values for key, values in self.conditions.items() if values}
        by_key = {f.key: f for f in others}
        key = self.fields["key"]
        key.required = False
        key.help_text = _("Laissez vide : il est créé à partir du libellé.")
        if self.instance.pk:  # answers and exports are keyed by it: it stays
            key.disabled = True
            key.help_text = _("Les réponses sont enregistrées sous cet identifiant.")
        self.fields["condition_key"].choices = [("", _("Toujours afficher ce champ"))] + [
            (k, f"{by_key[k].label} ({k})") for k in self.conditions
        ]
        self.fields["condition_value"].choices = [("", EMPTY_CHOICE)] + [
            (by_key[k].label, list(values)) for k, values in self.conditions.items()
        ]

    def clean(self):
        cleaned = super().clean()
        choices = [c.strip() for c in cleaned.get("choices_text", "").splitlines() if c.strip()]
        if cleaned.get("kind") in (Kind.CHOICE, Kind.MULTIPLE) and len(choices) < 2:
            self.add_error("choices_text", _("Proposez au moins deux choix."))
        self.instance.choices = choices
        if not self.instance.pk and not cleaned.get("key") and cleaned.get("label"):
            cleaned["key"] = formspec.field_key(cleaned["label"], self.taken_keys)
        condition, value = cleaned.get("condition_key"), cleaned.get("condition_value")
        if condition and value not in dict(self.conditions.get(condition, [])):
            self.add_error("condition_value", _("Choisissez une réponse de ce champ."))
        elif not condition and value:
            self.add_error("condition_key", _("Choisissez le champ dont dépend l'affichage."))
        cleaned["condition_operator"] = self._operator(condition)
        self.instance.condition_operator = cleaned["condition_operator"]
        return cleaned

    def _operator(self, condition):
        if not condition:
            return ""
        kind = next(f.kind for f in self.form_fields if f.key == condition)
        return FormField.Operator.INCLUDES if kind == Kind.MULTIPLE else FormField.Operator.EQUALS


def criterion_formset():

    class _CriterionForm(ModelForm):
        scale = forms.CharField(
            label=_("Échelle de 0 à 5 (six lignes, une par note)"),
            widget=forms.Textarea(attrs={"rows": 6}),
            required=False,
        )

        class Meta:
            model = Criterion
            fields = ["label", "description", "weight"]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.initial.setdefault("scale", "\n".join(self.instance.descriptors or []))

        def clean_scale(self):
            lines = [line.strip() for line in self.cleaned_data["scale"].splitlines()]
            lines = [line for line in lines if line]
            if lines and len(lines) != 6:
                raise forms.ValidationError(_("Donnez six descripteurs, de 0 à 5."))
            self.cleaned_data["descriptors"] = lines  # the model's field (core.forms)
            return lines

    return modelformset_factory(Criterion, form=_CriterionForm, extra=1, can_delete=True)


# --- Review -------------------------------------------------------------------------------------


class ConflictForm(Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Avez-vous un conflit d'intérêts avec cette candidature ?"),
        choices=[
            ("no", _("Non, aucun conflit")),
            ("yes", _("Oui, je déclare un conflit d'intérêts")),
        ],
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        help_text=_("Lien avec la collectivité, participation au projet, intérêt personnel…"),
    )
    note = forms.CharField(label=_("Nature du conflit (optionnel)"), max_length=300, required=False)


class ReviewForm(DraftFormMixin, Form):
    comment = forms.CharField(
        label=_("Commentaire général"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    recommendation = forms.ChoiceField(
        label=_("Avis"),
        choices=Review.Recommendation.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            descriptors = criterion.descriptors or [str(i) for i in range(6)]
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(label)s (pondération %(weight)s)")
                % {"label": criterion.label, "weight": criterion.weight},
                choices=[(str(i), f"{i} — {d}") for i, d in enumerate(descriptors[:6])],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                help_text=criterion.description,
            )
        # The grid first, then the overall comment and recommendation.
        self.order_fields([f"score_{c.pk}" for c in criteria] + ["recommendation", "comment"])
        from dsfr.utils import dsfr_input_class_attr

        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def scores(self):
        return {c.pk: (self.cleaned_data.get(f"score_{c.pk}"), "") for c in self.criteria}


class SelectionForm(Form):
    n = forms.IntegerField(label=_("Nombre de lauréats à proposer"), min_value=1, max_value=200)
    strata = forms.MultipleChoiceField(
        label=_("Strates à couvrir"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, strata, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strata"].choices = list(strata.items())


class DecisionForm(Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("select", _("Retenue")),
            ("wait_list", _("Liste d'attente")),
            ("reject", _("Non retenue")),
        ],
    )
    reason = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 2}))


# --- Opinions and annotations (issue 13) ----------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class UploadsField(UploadField):
    """Several uploads of one profile (each checked), as a list; at most `max_files`."""

    def __init__(self, profile, *, max_files=10, **kwargs):
        super().__init__(profile, **kwargs)
        self.max_files = max_files
        self.widget = MultipleFileInput(attrs=self.widget.attrs)

    def clean(self, data, initial=None):
        uploads = (
            [d for d in data if d] if isinstance(data, list | tuple) else [data] if data else []
        )
        if len(uploads) > self.max_files:
            raise forms.ValidationError(
                _("Joignez au plus %(n)s fichiers.") % {"n": self.max_files}
            )
        if not uploads and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(UploadsField, self).clean(upload, initial) for upload in uploads]


class AskOpinionForm(Form):
    question = forms.CharField(
        label=_("Question posée"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Posez votre question.")},
    )
    experts = forms.MultipleChoiceField(
        label=_("Personnes suggérées et experts habituels"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emails = forms.CharField(
        label=_("Autres adresses électroniques (optionnel)"),
        help_text=_(
            "Une adresse par ligne : un utilisateur de la plateforme, ou un expert extérieur qui "
            "recevra un lien pour créer son compte."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = list(choices)

    def clean_emails(self):
        from django.core.validators import validate_email

        emails = [e.strip() for e in self.cleaned_data["emails"].replace(",", "\n").splitlines()]
        emails = [e for e in emails if e]
        invalid = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                invalid.append(email)
        if invalid:
            raise forms.ValidationError(
                _("Adresse électronique invalide : %s.") % ", ".join(invalid[:5])
            )
        return emails

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("experts") or data.get("emails")):
            self.add_error("experts", _("Choisissez au moins une personne à qui demander."))
        return data

    def addresses(self):
        return [*self.cleaned_data["experts"], *self.cleaned_data["emails"]]


class AnswerOpinionForm(Form):
    answer = forms.CharField(
        label=_("Votre avis"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Rédigez votre avis.")},
    )
    files = UploadsField("message", label=_("Pièces jointes (optionnel)"), required=False)


class AnnotationForm(Form):
    body = forms.CharField(
        label=_("Nouvelle annotation privée"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez l’annotation.")},
    )


class UsualExpertForm(Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    label = forms.CharField(
        label=_("Qualité (optionnel)"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : Cerema, mobilités."),
    )


class ExpertAccountForm(Form):
    """An outside expert's new account, for the address the request was sent to."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import password_validation

        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif first:
            user = get_user_model()(email=self.email, first_name=data.get("first_name", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


# --- Decision letters (issue 13) ------------------------------------------------------------------


class LetterForm(Form):
    signatory_name = forms.CharField(label=_("Nom du signataire"), max_length=150)
    signatory_role = forms.CharField(
        label=_("Qualité du signataire"),
        max_length=200,
        help_text=_(
            "Par exemple : « Directeur général de l’aménagement, du logement et de la nature »"
        ),
    )
    next_steps = forms.CharField(
        label=_("Suites à donner"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que le candidat doit faire ou peut attendre maintenant."),
    )


class SendLetterForm(Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
