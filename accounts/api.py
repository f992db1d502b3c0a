from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from platform_site.openapi import ErrorSerializer
from platform_site.pagination import StandardPagination

from . import selectors, services
from .errors import ApplicationError
from .models import Notification, Role
from .permissions import HasRole


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        role = serializers.CharField()
        display_name = serializers.CharField()
        display_name_en = serializers.CharField()
        language = serializers.CharField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)


class NotificationListApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination  # documents the list as paginated

    class OutputSerializer(serializers.ModelSerializer):
        # Rendered in the reader's language (the request's), not stored translated.
        title = serializers.CharField(source="title_text", read_only=True)
        body = serializers.CharField(source="body_text", read_only=True)

        class Meta:
            model = Notification
            fields = ["id", "title", "body", "url", "created_at", "read_at"]

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.notification_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer(page, many=True).data)


class NotificationReadApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, allow_empty=True)

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.notification_mark_read(user=request.user, notification_ids=serializer.validated_data.get("ids"))
        return Response({"marked_read": updated, "unread": selectors.notification_unread_count(user=request.user)})


class LanguageApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        language = serializers.ChoiceField(choices=[code for code, _ in settings.LANGUAGES])

    @extend_schema(request=InputSerializer, responses={200: dict})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_set_language(user=request.user, language=serializer.validated_data["language"])
        return Response({"language": request.user.language})


class TokenApi(ObtainAuthToken):
    """Exchange a username and password for an API token. Throttled like the login page
    (django-axes per username and address, accounts.login_throttle per address), and
    says so: a locked client gets 429 `locked`, not "unable to log in"."""

    class TokenOutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(
        request=ObtainAuthToken.serializer_class,
        responses={200: TokenOutputSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
    )
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            if getattr(request, "login_throttled", False):
                raise ApplicationError(_("Too many failed logins from your network. Try again in %(minutes)d minutes.")
                                       % {"minutes": settings.LOGIN_IP_WINDOW_MINUTES},
                                       code="locked", status_code=429) from None
            if getattr(request, "axes_locked_out", False):
                raise ApplicationError(_("This account is temporarily locked after too many failed logins. "
                                         "Try again in %(minutes)d minutes.")
                                       % {"minutes": round(settings.AXES_COOLOFF_TIME * 60)},
                                       code="locked", status_code=429) from None
            raise


class HealthApi(APIView):
    """The details of /healthz (database, cache, broker, live workers per queue) for
    school administrators; the public /healthz says only whether all is well. Always
    200: `status` is "ok" or "failing", and each check says whether it passed."""

    permission_classes = [HasRole.of(Role.SCHOOL_ADMIN)]

    class OutputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=["ok", "failing"])
        checks = serializers.DictField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        from .health import health_report

        ok, checks = health_report()
        return Response({"status": "ok" if ok else "failing", "checks": checks})
