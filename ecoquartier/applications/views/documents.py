"""The documents of an application: its acknowledgement of receipt, and its decision letters —
prepared, previewed, signed and sent by the jury, then read by applicants and instructors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ecoquartier.applications import letters, permissions, receipts
from ecoquartier.applications.forms import LetterForm, SendLetterForm
from ecoquartier.applications.views.common import application_or_404, require
from ecoquartier.core.files import serve_private_file


def panel(user, application):
    """What the application page shows of its documents (a fixed number of queries)."""
    if not permissions.can_read_documents(user, application):
        return {}
    context = {"receipt": True, "sent_letter": letters.last_sent(application)}
    if application.is_decided and permissions.can_sign_letters(user, application):
        context["can_sign"] = True
        context["current_letter"] = letters.current(application)
    return context


def _pdf(content, name):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def receipt(request, pk):
    application = application_or_404(request.user, pk, check=permissions.can_read_documents)
    return _pdf(receipts.render(application), receipts.filename(application))


def letter(request, pk):
    """The last letter sent, as it was sent."""
    application = application_or_404(request.user, pk, check=permissions.can_read_documents)
    sent = letters.last_sent(application)
    if sent is None:
        raise Http404
    return serve_private_file(request, sent.file, letters.filename(application))


def _signable(request, pk):
    application = application_or_404(request.user, pk)
    require(permissions.can_sign_letters(request.user, application))
    if not application.is_decided:
        raise Http404
    return application


def letter_prepare(request, pk):
    """Write the letter (signatory, next steps), see it, then sign and send it."""
    application = _signable(request, pk)
    current = letters.current(application)
    here = reverse("applications:letter_prepare", kwargs={"pk": application.pk})
    if request.method == "POST":
        form = LetterForm(request.POST)
        if form.is_valid():
            try:
                letters.prepare(request.user, application, **form.cleaned_data)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, _("Courrier enregistré : relisez l’aperçu, puis signez et envoyez.")
                )
            return redirect(f"{here}#apercu")
    elif current is not None:
        form = LetterForm(initial={
            "signatory_name": current.signatory_name,
            "signatory_role": current.signatory_role,
            "next_steps": current.next_steps,
        })  # fmt: skip
    else:
        form = LetterForm(initial=letters.initial(request.user, application))
    status = 400 if form.is_bound else 200
    return render(
        request,
        "applications/letter.html",
        {
            "application": application,
            "form": form,
            "letter": current,
            "decision": current.get_decision_display() if current else "",
            "send_form": SendLetterForm(initial={"version": current.version}) if current else None,
            "title": _("Courrier de décision « %s »") % application.title,
            "breadcrumb": [
                (application.call.title, application.call.get_absolute_url()),
                (application.title, application.get_absolute_url()),
                (_("Courrier de décision"), None),
            ],
        },
        status=status,
    )


def letter_preview(request, pk):
    """The draft as the applicants would receive it, marked as a preview."""
    application = _signable(request, pk)
    current = letters.current(application)
    if current is None:
        raise Http404
    content = letters.render(application, current, preview=not current.is_sent)
    return _pdf(content, f"apercu-{letters.filename(application)}")


@require_POST
def letter_send(request, pk):
    application = _signable(request, pk)
    here = reverse("applications:letter_prepare", kwargs={"pk": application.pk})
    form = SendLetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Relisez l’aperçu du courrier avant de l’envoyer."))
        return redirect(here)
    try:
        letters.send(request.user, application, version=form.cleaned_data["version"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(here)
    messages.success(request, _("Courrier signé et envoyé aux candidats."))
    return redirect(application.get_absolute_url())
