from django.urls import path

from hrss.employment import pages

app_name = "employment"
urlpatterns = [
    path("employment/", pages.mine, name="mine"),
    path("employment/profile/", pages.profile_save, name="profile"),
    path("employment/vacancies/", pages.vacancies, name="vacancies"),
    path("employment/vacancies/<uuid:vacancy_id>/close/", pages.vacancy_close, name="vacancy-close"),
    path("employment/vacancies/<uuid:vacancy_id>/apply/", pages.apply, name="apply"),
    path("employment/vacancies/<uuid:vacancy_id>/candidates/", pages.candidates, name="candidates"),
    path("employment/applications/<uuid:application_id>/invite/", pages.invite, name="invite"),
    path("employment/policies/", pages.policy_runs, name="policies"),
    path("employment/loans/", pages.startup_loans, name="loans"),
    path("employment/policies/runs/<uuid:run_id>/", pages.policy_run, name="policy-run"),
    path("employment/policies/runs/<uuid:run_id>/approve/", pages.policy_run_approve, name="policy-run-approve"),
    path("employment/agencies/", pages.licences, name="agencies"),
    path("employment/registrations/<uuid:registration_id>/", pages.registration_staff, name="registration"),
    path("employment/applications/<uuid:application_id>/decision/", pages.decide, name="decide"),
    path("employment/vacancies/<uuid:vacancy_id>/seekers/", pages.seekers, name="seekers"),
    path("employment/agencies/<uuid:licence_id>/revoke/", pages.licence_revoke, name="licence-revoke"),
]

# The bureau's support for people (E1, E2): special groups, guidance appointments, start-ups.
from hrss.employment import support_pages  # noqa: E402

urlpatterns += [
    path("employment/support/groups/", support_pages.special_groups, name="special-groups"),
    path("employment/support/groups/review/", support_pages.special_groups_review, name="special-groups-review"),
    path(
        "employment/support/groups/<uuid:membership_id>/",
        support_pages.special_group_member,
        name="special-group-member",
    ),
    path(
        "employment/support/groups/<uuid:membership_id>/follow-up/",
        support_pages.follow_up_record,
        name="special-group-follow-up",
    ),
    path(
        "employment/support/groups/<uuid:membership_id>/measure/",
        support_pages.measure_give,
        name="special-group-measure",
    ),
    path("employment/support/groups/<uuid:membership_id>/end/", support_pages.member_end, name="special-group-end"),
    path("employment/guidance/", support_pages.guidance, name="guidance"),
    path("employment/guidance/slots/", support_pages.guidance_slots, name="guidance-slots"),
    path("employment/guidance/slots/<uuid:slot_id>/book/", support_pages.guidance_book, name="guidance-book"),
    path(
        "employment/guidance/bookings/<uuid:booking_id>/cancel/",
        support_pages.guidance_cancel,
        name="guidance-cancel",
    ),
    path(
        "employment/guidance/bookings/<uuid:booking_id>/outcome/",
        support_pages.guidance_outcome,
        name="guidance-outcome",
    ),
    path("employment/startups/", support_pages.startups, name="startups"),
    path("employment/startups/mine/", support_pages.startups_mine, name="startups-mine"),
    path(
        "employment/startups/<uuid:registration_id>/guidance/",
        support_pages.startup_guidance,
        name="startup-guidance",
    ),
]
