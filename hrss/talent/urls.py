from django.urls import path

from hrss.talent.pages import green_card, institution, programme_office, programmes, staff, titles

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
    path("talent/titles/", titles.office, name="titles"),
    path("talent/titles/<uuid:title_id>/revoke/", titles.revoke, name="title-revoke"),
    # Talent programmes and their expert review (人才计划, R1).
    path("talent/programmes/", programmes.programmes, name="programmes"),
    path("talent/programmes/<str:code>/", programmes.programme, name="programme"),
    path("talent/programmes/<str:code>/declare/", programmes.declare, name="programme-declare"),
    path("talent/declarations/", programmes.declarations, name="declarations"),
    path("talent/declarations/<uuid:declaration_id>/appeal/", programmes.appeal, name="declaration-appeal"),
    path("talent/reviews/", programmes.reviews, name="reviews"),
    path("talent/reviews/<uuid:assignment_id>/", programmes.review, name="review"),
    path("talent/reviews/<uuid:assignment_id>/recuse/", programmes.recuse, name="review-recuse"),
    path("talent/programme-office/", programme_office.office, name="programme-office"),
    path("talent/programme-office/experts/", programme_office.experts, name="experts"),
    path(
        "talent/programme-office/experts/<uuid:expert_id>/conflicts/", programme_office.conflict, name="expert-conflict"
    ),
    path("talent/programme-office/appeals/", programme_office.appeals, name="programme-appeals"),
    path(
        "talent/programme-office/appeals/<uuid:appeal_id>/decision/",
        programme_office.appeal_decide,
        name="programme-appeal-decide",
    ),
    path(
        "talent/programme-office/declarations/<uuid:declaration_id>/check/",
        programme_office.check,
        name="declaration-check",
    ),
    path(
        "talent/programme-office/declarations/<uuid:declaration_id>/assign/",
        programme_office.assign,
        name="declaration-assign",
    ),
    path("talent/programme-office/<str:code>/", programme_office.detail, name="programme-office-detail"),
    path("talent/programme-office/<str:code>/aggregate/", programme_office.aggregate, name="programme-aggregate"),
    path("talent/programme-office/<str:code>/publish/", programme_office.publish, name="programme-publish"),
    path("talent/programme-office/<str:code>/finalise/", programme_office.finalise, name="programme-finalise"),
    path("talent/", staff.supervision, name="supervision"),
    path("talent/institutions/", staff.register, name="register"),
    path("talent/institutions/<uuid:institution_id>/", staff.institution, name="institution-detail"),
    path("talent/institutions/<uuid:institution_id>/quotas/", staff.quota, name="quota"),
    path("talent/institutions/<uuid:institution_id>/posts/", staff.post, name="post"),
]
