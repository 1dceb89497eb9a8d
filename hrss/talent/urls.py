from django.urls import path

from hrss.talent.pages import green_card, institution, staff

app_name = "talent"
urlpatterns = [
    path("talent/institution/", institution.workbench, name="institution"),
    path("talent/institution/staff/", institution.staff_add, name="staff-add"),
    path("talent/institution/plans/", institution.plan_submit, name="plan-submit"),
    path("talent/institution/post-changes/", institution.post_change_submit, name="post-change-submit"),
    path("talent/institution/wages/", institution.wage_submit, name="wage-submit"),
    path("talent/green-card/", green_card.mine, name="green-card"),
    path("talent/green-card/benefits/", green_card.benefit_apply, name="green-card-benefit-apply"),
    path("talent/green-card/decisions/", green_card.benefits, name="green-card-benefits"),
    path("talent/green-card/decisions/<uuid:benefit_id>/", green_card.benefit_decide, name="green-card-benefit-decide"),
    path("talent/", staff.supervision, name="supervision"),
    path("talent/institutions/", staff.register, name="register"),
    path("talent/institutions/<uuid:institution_id>/", staff.institution, name="institution-detail"),
    path("talent/institutions/<uuid:institution_id>/quotas/", staff.quota, name="quota"),
    path("talent/institutions/<uuid:institution_id>/posts/", staff.post, name="post"),
]
