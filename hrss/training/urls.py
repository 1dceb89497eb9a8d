from django.urls import path

from hrss.training.pages import citizen, institution, public, staff

app_name = "training"
urlpatterns = [
    path("training/", public.catalogue, name="catalogue"),
    path("training/courses/<uuid:course_id>/", public.course, name="course"),
    path("training/verify/", public.verify, name="verify"),
    path("training/my/", citizen.mine, name="mine"),
    path("training/courses/<uuid:course_id>/enrol/", citizen.enrol, name="enrol"),
    path("training/appraisal/<uuid:session_id>/register/", citizen.register, name="register"),
    path("training/my/enrolments/<uuid:enrolment_id>/survey/", citizen.survey, name="survey"),
    path("training/my/enrolments/<uuid:enrolment_id>/progress/", citizen.progress, name="progress"),
    path("training/my/certificates/<uuid:certificate_id>/consent/", citizen.consent, name="consent"),
    path("training/institution/", institution.workbench, name="institution"),
    path("training/institution/courses/", institution.course_publish, name="course-publish"),
    path("training/institution/sessions/<uuid:session_id>/sign-in/", institution.sign_in, name="sign-in"),
    path("training/institution/enrolments/<uuid:enrolment_id>/complete/", institution.complete, name="complete"),
    path("training/institution/claims/", institution.claim, name="claim"),
    path(
        "training/body/sessions/<uuid:session_id>/candidates/<uuid:candidate_id>/sign-in/",
        institution.candidate_sign_in,
        name="candidate-sign-in",
    ),
    path("training/body/sessions/<uuid:session_id>/proctor/", institution.proctor, name="proctor"),
    path("training/body/sessions/<uuid:session_id>/results/", institution.results, name="results"),
    path("training/body/sessions/<uuid:session_id>/check/", institution.check, name="check"),
    path("training/body/sessions/<uuid:session_id>/publish/", institution.publish, name="publish"),
    path("training/supervision/", staff.supervision, name="supervision"),
    path("training/supervision/revoke/", staff.revoke, name="revoke"),
    path("training/supervision/pay/", staff.pay, name="pay"),
]
