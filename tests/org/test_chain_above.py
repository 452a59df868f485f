from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from daftar.org.models import Post
from daftar.org.selectors import chain_above
from tests.cast import Cast


def test_chain_above_lists_the_posts_above_nearest_first_in_one_query(cast: Cast) -> None:
    with CaptureQueriesContext(connection) as ctx:
        chain = chain_above(cast.assistant_post)
    assert chain == [cast.so_post.pk, cast.ds_post.pk, cast.secretary_post.pk]
    assert len(ctx.captured_queries) == 1
    assert chain_above(cast.secretary_post) == []


def test_chain_above_survives_a_cycle_in_a_mis_entered_chart(cast: Cast) -> None:
    # The Secretary made to report to the Section Officer: a loop of three posts.
    Post.objects.filter(pk=cast.secretary_post.pk).update(reports_to=cast.so_post)
    assert chain_above(cast.ds_post) == [cast.secretary_post.pk, cast.so_post.pk]
    assert chain_above(cast.assistant_post) == [
        cast.so_post.pk,
        cast.ds_post.pk,
        cast.secretary_post.pk,
    ]
