from django.http import HttpResponse


def _stub(request, **kwargs):
    return HttpResponse("")


index = _stub
key_figures = _stub
project_label = _stub
sign_charter = _stub
charter = _stub
charter_document = _stub
certificate = _stub
campaign = _stub
apply = _stub
new_session = _stub
file_detail = _stub
assign_experts = _stub
schedule_visit = _stub
give_opinion = _stub
session = _stub
deliberate = _stub
use_phase = _stub
