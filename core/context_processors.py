from core import access, audit, pay


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_compensation_admin": access.is_compensation_admin(user),
        "nav_reads_access_log": audit.may_read_log(user),
        "nav_sees_pipeline": bool(access.group_names(user)) or user.is_superuser,
        "nav_sees_offers": pay.may_ever_see_pay(user),
        "nav_sees_reports": access.runs_reports(user),
    }
