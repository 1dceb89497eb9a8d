from django.urls import path

from hrss.servicehall import channels, pages

app_name = "servicehall"
urlpatterns = [
    path("hall/", pages.hall_home, name="home"),
    path("hall/items/<str:code>/", pages.item_detail, name="item"),
    path("hall/items/<str:code>/apply/", pages.apply, name="apply"),
    path("hall/applications/", pages.my_applications, name="applications"),
    path("hall/applications/<str:reference>/", pages.application_detail, name="application"),
    path("hall/applications/<str:reference>/upload/", pages.application_upload, name="upload"),
    path("hall/applications/<str:reference>/supplement/", pages.application_supplement, name="supplement"),
    path("hall/applications/<str:reference>/withdraw/", pages.application_withdraw, name="withdraw"),
    path("hall/materials/<uuid:material_id>/", pages.material_download, name="material"),
    path("hall/messages/", pages.messages, name="messages"),
    path("hall/messages/preference/", pages.messages_preference, name="messages-preference"),
    path("hall/messages/<uuid:message_id>/read/", pages.messages_read, name="messages-read"),
    path("hall/kiosk/", pages.kiosk, name="kiosk"),
    path("manifest.webmanifest", pages.manifest, name="manifest"),
    path("sw.js", pages.service_worker, name="service-worker"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("workbench/", pages.workbench, name="workbench"),
    path("workbench/next/", pages.take_next, name="take-next"),
    path("workbench/work/<uuid:work_item_id>/", pages.work, name="work"),
    path("workbench/work/<uuid:work_item_id>/decide/", pages.decide, name="decide"),
    path("workbench/work/<uuid:work_item_id>/assign/", pages.assign, name="assign"),
    path("workbench/applications/<str:reference>/", pages.staff_application, name="staff-application"),
    path("workbench/walk-in/", pages.walk_in, name="walk-in"),
    path("workbench/walk-in/<str:code>/", pages.walk_in_apply, name="walk-in-apply"),
    path("workbench/supervisor/", pages.supervisor, name="supervisor"),
    path("channels/wechat/", channels.wechat_callback, name="wechat"),
    path("channels/sms/", channels.sms_callback, name="sms"),
]
