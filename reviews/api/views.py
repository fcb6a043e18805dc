"""The editorial API: writers, clinical reviewers and editors work on articles here.

The views are thin. They validate input with the serializers, check the If-Match
precondition, and call ``reviews.workflow``; the workflow alone decides who may do what in
which state, and its refusals become HTTP errors in :mod:`reviews.api.exceptions`.
"""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from articles.diff import diff_text_unified
from articles.models import Article, PublishedArticle, Reference
from articles.selectors import article_versions, compare_versions
from reviews import evidence, workflow
from reviews.selectors import review_thread

from . import inputs
from . import serializers as api_serializers
from .exceptions import from_service_error
from .filters import ArticleFilter
from .permissions import IsEditorialUser
from .preconditions import article_etag, check_if_match
from .schema import (
    ARTICLE_ID,
    AUTH_RESPONSES,
    DETAIL,
    FIELD_ERRORS,
    IF_MATCH_REQUIRED,
    NOT_FOUND,
    VERSION,
    etag_header,
    transition_schema,
)


class EditorialPagination(PageNumberPagination):
    """DRF's page numbers (a page that does not exist is a 404), documented as from 1."""

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


def _live_snapshots() -> Prefetch:
    """Prefetch what ``workflow.live_snapshot`` reads, as ``article.live_snapshots``."""
    return Prefetch("snapshots", queryset=PublishedArticle.objects.live(), to_attr="live_snapshots")


def _with_related(articles):
    """Everything the full article representation reads, in a fixed number of queries."""
    return evidence.with_open_flags(
        articles.select_related("counterpart").prefetch_related(
            "topics",
            "authors",
            "related_trials",
            Prefetch("references", queryset=Reference.objects.order_by("position", "pk")),
            _live_snapshots(),
        )
    )


@extend_schema_view(
    post=extend_schema(
        summary="Obtain an API token",
        description="Send the username and password as JSON; send the token back as "
        "`Authorization: Token <token>`. Tokens of inactive users do not authenticate. "
        "Repeated wrong passwords lock the account out for a while (429).",
        request=AuthTokenSerializer,
        responses={
            200: api_serializers.TokenSerializer,
            400: FIELD_ERRORS,
            429: OpenApiResponse(
                description="Locked out after repeated wrong passwords; try again later."
            ),
        },
        auth=[],
        tags=["auth"],
    )
)
class TokenView(ObtainAuthToken):
    """Exchange a username and password for the user's API token."""

    # ObtainAuthToken also reads forms and multipart; this API takes JSON only, as the rest.
    parser_classes = [JSONParser]

    def get_serializer_context(self):
        # django-axes marks a locked-out login on the request it was given; hand it Django's
        # own request so its middleware sees the mark and answers with the lock-out.
        return {**super().get_serializer_context(), "request": self.request._request}


@extend_schema_view(
    list=extend_schema(
        summary="List working copies (not archived)",
        description="Every article's working copy (drafts, in review, approved), sorted by "
        "title, with its workflow state and whether a cited trial changed.",
        responses={
            200: api_serializers.ArticleSummarySerializer(many=True),
            400: FIELD_ERRORS,
            **AUTH_RESPONSES,
            404: OpenApiResponse(DETAIL, description="Page past the end."),
        },
    ),
    create=extend_schema(
        summary="Create a draft",
        description="Saves version 1, a draft credited to you. `topics` names at least one "
        "topic; `references`, `related_trials` and `counterpart` are optional (`counterpart`: "
        "null or omitted for none). The answer carries the article's `ETag` for the next edit "
        "or action.",
        request=api_serializers.ArticleSerializer,
        responses={201: api_serializers.ArticleSerializer, 400: FIELD_ERRORS, **AUTH_RESPONSES},
        parameters=[etag_header(201)],
    ),
    retrieve=extend_schema(
        summary="Read a working copy",
        description="The working copy with its references, readability, warnings and the "
        "trial changes no reviewer has considered yet. Send its `ETag` as `If-Match` to edit "
        "it or to act on it.",
        parameters=[ARTICLE_ID, etag_header()],
        responses={200: api_serializers.ArticleSerializer, **AUTH_RESPONSES, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Edit a working copy (a new version)",
        description="Saves a new version. Editing an article in review or approved withdraws "
        "the review. `topics`, `related_trials` and `references`, when given, replace the "
        "stored lists. The input is validated first (400), then If-Match (428, 412).",
        parameters=[ARTICLE_ID, IF_MATCH_REQUIRED, etag_header()],
        responses={
            200: api_serializers.ArticleSerializer,
            400: FIELD_ERRORS,
            **AUTH_RESPONSES,
            404: NOT_FOUND,
            409: OpenApiResponse(
                DETAIL,
                description="The article is archived: an editor must restore it from the "
                "archive first.",
            ),
            412: OpenApiResponse(DETAIL, description="If-Match is not the current ETag."),
            428: OpenApiResponse(DETAIL, description="If-Match is missing."),
        },
    ),
)
@extend_schema(tags=["editorial"])
class EditorialArticleViewSet(
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Working copies of articles: list, create, read, edit, history and workflow actions.

    Articles are archived, never deleted, so there is no DELETE; edits are PATCH only.
    """

    permission_classes = [IsAuthenticated, IsEditorialUser]
    filterset_class = ArticleFilter
    serializer_class = api_serializers.ArticleSerializer
    pagination_class = EditorialPagination

    def get_queryset(self):
        # Archived articles too: they can be read and restored from the archive, and the
        # workflow refuses every other action on them (409). The list shows the articles in
        # use unless ?archived=true (ArticleFilter).
        articles = Article.objects.order_by("title", "pk")
        if self.action == "list":
            return evidence.with_evidence_changed(
                articles.prefetch_related("topics", "authors", _live_snapshots())
            )
        if self.action == "retrieve":
            return _with_related(articles)
        # Writes get an instance without prefetched rows, so that nothing cached before the save
        # can be followed into the new version by django-reversion; responses re-read it.
        return articles.select_related("counterpart")

    def get_serializer_class(self):
        if self.action == "list":
            return api_serializers.ArticleSummarySerializer
        return api_serializers.ArticleSerializer

    def filter_queryset(self, queryset):
        # The list's filters; one article is found by its id alone.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def handle_exception(self, exc):
        return super().handle_exception(from_service_error(exc))

    # Responses ----------------------------------------------------------------------------

    def _article_response(self, pk: int, status_code: int = status.HTTP_200_OK) -> Response:
        """The article as it now stands in the database, with its ETag."""
        article = _with_related(Article.objects.filter(pk=pk)).get()
        data = api_serializers.ArticleSerializer(article, context=self.get_serializer_context())
        headers = {"ETag": article_etag(article)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = self.reverse_action("detail", args=[article.pk])
        return Response(data.data, status=status_code, headers=headers)

    # Content ------------------------------------------------------------------------------

    def retrieve(self, request: Request, pk=None) -> Response:
        article = self.get_object()
        serializer = self.get_serializer(article)
        return Response(serializer.data, headers={"ETag": article_etag(article)})

    def create(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = self._save(
            Article(), serializer.validated_data, comment="Created through the editorial API."
        )
        return self._article_response(article.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk=None) -> Response:
        article = self.get_object()
        serializer = self.get_serializer(article, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        check_if_match(request, article, required=True)
        self._save(
            article,
            serializer.validated_data,
            comment="Edited through the editorial API.",
            expected_version=article.version,
        )
        return self._article_response(article.pk)

    def _save(
        self,
        article: Article,
        data: dict,
        *,
        comment: str,
        expected_version: int | None = None,
    ) -> Article:
        """Save validated input as a new version through the workflow."""
        for name in api_serializers.ARTICLE_INPUT_FIELDS:
            if name in data:
                setattr(article, name, data[name])

        def save_related(saved: Article) -> None:
            if "topics" in data:
                saved.topics.set(data["topics"])
            if "authors" in data:
                saved.authors.set(data["authors"])
            if "related_trials" in data:
                saved.related_trials.set(data["related_trials"])
            if "references" in data:
                saved.references.all().delete()
                Reference.objects.bulk_create(
                    Reference(article=saved, **reference) for reference in data["references"]
                )

        return workflow.save_working_copy(
            article=article,
            user=self.request.user,
            comment=data.get("comment") or comment,
            expected_version=expected_version,
            save_related=save_related,
        )

    # History ------------------------------------------------------------------------------

    @extend_schema(
        summary="Every saved version, oldest first",
        parameters=[ARTICLE_ID],
        responses={
            200: api_serializers.VersionSerializer(many=True),
            **AUTH_RESPONSES,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request: Request, pk=None) -> Response:
        article = self.get_object()
        data = api_serializers.VersionSerializer(article_versions(article), many=True).data
        return Response(data)

    @extend_schema(
        summary="Compare two versions",
        parameters=[
            ARTICLE_ID,
            OpenApiParameter("from", VERSION, required=True, description="The older version."),
            OpenApiParameter("to", VERSION, required=True, description="The newer version."),
        ],
        responses={
            200: api_serializers.VersionComparisonSerializer,
            400: FIELD_ERRORS,
            **AUTH_RESPONSES,
            404: OpenApiResponse(DETAIL, description="No such article or version."),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def diff(self, request: Request, pk=None) -> Response:
        article = self.get_object()
        query = api_serializers.VersionRangeSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        old, new = query.validated_data["from"], query.validated_data["to"]
        changes = [
            {
                "field": change.name,
                "label": change.label,
                "changed": change.changed,
                "old": change.old,
                "new": change.new,
                "diff": diff_text_unified(
                    change.old, change.new, f"version {old}", f"version {new}"
                ),
                "numbers_changed": [list(pair) for pair in change.numbers_changed],
            }
            # compare_versions raises Http404 (a 404 here) for a version that does not exist.
            for change in compare_versions(article, old, new)
        ]
        comparison = {"from": old, "to": new, "changes": changes}
        return Response(api_serializers.VersionComparisonSerializer(comparison).data)

    # Workflow actions ---------------------------------------------------------------------

    def _transition(self, request: Request, input_class, service) -> Response:
        """Validate the action's input and If-Match, run the workflow service on the version
        the client read, return the article."""
        article = self.get_object()
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        check_if_match(request, article, required=True)
        seen = workflow.Seen(version=article.version, state=article.state)
        service(article=article, user=request.user, seen=seen, **serializer.validated_data)
        return self._article_response(article.pk)

    @transition_schema("Send the current version for clinical review", inputs.SubmitSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request: Request, pk=None) -> Response:
        return self._transition(request, inputs.SubmitSerializer, workflow.submit)

    @transition_schema("Approve the version under review", inputs.ApproveSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk=None) -> Response:
        return self._transition(request, inputs.ApproveSerializer, workflow.approve)

    @transition_schema("Send the version back to the writers", inputs.RequestChangesSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="request-changes",
        url_name="request-changes",
        filter_backends=[],
    )
    def request_changes(self, request: Request, pk=None) -> Response:
        return self._transition(request, inputs.RequestChangesSerializer, workflow.request_changes)

    @transition_schema(
        "Publish the approved version now or at publish_at", inputs.PublishSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def publish(self, request: Request, pk=None) -> Response:
        return self._transition(request, inputs.PublishSerializer, workflow.publish)

    @transition_schema("Take the article off the site", inputs.UnpublishSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def unpublish(self, request: Request, pk=None) -> Response:
        return self._transition(request, inputs.UnpublishSerializer, workflow.unpublish)

    @transition_schema(
        "Confirm the live content is still accurate (a review with no new version)",
        inputs.ConfirmCurrentSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="confirm-current",
        url_name="confirm-current",
        filter_backends=[],
    )
    def confirm_current(self, request: Request, pk=None) -> Response:
        return self._transition(request, inputs.ConfirmCurrentSerializer, workflow.confirm_current)

    @transition_schema(
        "Archive the article (take it out of use)",
        inputs.ArchiveSerializer,
        description="Archiving replaces deleting: the article leaves the site (it is "
        "unpublished if live or scheduled) and the working lists, its open review is "
        "withdrawn, and its whole history is kept. Editors archive any article; an author "
        "only a draft never published (403 otherwise). 409 when it is archived already.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def archive(self, request: Request, pk=None) -> Response:
        return self._transition(request, inputs.ArchiveSerializer, workflow.archive)

    @transition_schema(
        "Restore the article from the archive",
        inputs.UnarchiveSerializer,
        description="An editor brings an archived article back as a draft (403 for others, "
        "409 when it is not archived); publishing it again needs a new review. Send an empty "
        "object.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def unarchive(self, request: Request, pk=None) -> Response:
        return self._transition(request, inputs.UnarchiveSerializer, workflow.unarchive)

    @transition_schema(
        "Restore an earlier version's content (a new version)",
        inputs.RestoreSerializer,
        description="Copies the content of an earlier version (text, references, topics, "
        "authors, related trials, lead image) into the working copy as a new version, as "
        "the admin's restore does; the images shown are read again from the media library "
        "as it now stands. Like any edit it withdraws an open review, and the live page "
        "changes only once the new version is approved and published. 400 naming `version` "
        "when it is not an earlier version of this article; 409 for an archived article.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def restore(self, request: Request, pk=None) -> Response:
        article = self.get_object()
        serializer = inputs.RestoreSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = serializer.validated_data["version"]
        if number >= article.version:
            raise exceptions.ValidationError(
                {
                    "version": [
                        f"Choose an earlier version: this article is at version {article.version}."
                    ]
                }
            )
        check_if_match(request, article, required=True)
        try:
            workflow.restore_version(
                article=article,
                number=number,
                user=request.user,
                expected_version=article.version,
            )
        except Http404 as error:
            raise exceptions.ValidationError(
                {"version": [f"This article has no saved version {number}."]}
            ) from error
        return self._article_response(article.pk)

    # The review discussion --------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="The discussion of the latest review",
        description="The messages of the article's latest review, oldest first, as the "
        "review page shows them (an empty list before the article is first sent for review).",
        parameters=[ARTICLE_ID],
        responses={
            200: api_serializers.ReviewCommentSerializer(many=True),
            **AUTH_RESPONSES,
            404: NOT_FOUND,
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a message to the discussion of the latest review",
        description="Any writer, clinical reviewer or editor may write, as on the review "
        "page; the message is recorded in the audit trail. 409 before the article has been "
        "sent for review. Messages are not versions of the article: no If-Match.",
        parameters=[ARTICLE_ID],
        request=inputs.ReviewCommentInputSerializer,
        responses={
            201: api_serializers.ReviewCommentSerializer,
            400: FIELD_ERRORS,
            **AUTH_RESPONSES,
            404: NOT_FOUND,
            409: OpenApiResponse(DETAIL, description="The article has no review yet."),
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def comments(self, request: Request, pk=None) -> Response:
        article = self.get_object()
        if request.method == "GET":
            _review, thread = review_thread(article)
            data = api_serializers.ReviewCommentSerializer(thread, many=True).data
            return Response(data)
        serializer = inputs.ReviewCommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = workflow.add_review_comment(
            article=article, user=request.user, body=serializer.validated_data["body"]
        )
        return Response(
            api_serializers.ReviewCommentSerializer(comment).data, status=status.HTTP_201_CREATED
        )
