"""Every rule of the authorisation policy, grants and denials."""

from __future__ import annotations

import pytest

from app.domain import policy
from app.domain.accounts import Principal, Role
from app.domain.policy import AccessContext, CohortFacts, ConversationFacts

OWNER = Principal(id=1, roles=frozenset({Role.PRACTITIONER}))
OTHER = Principal(id=2, roles=frozenset({Role.PRACTITIONER}))
TRAINER = Principal(id=3, roles=frozenset({Role.TRAINER}))
ASSESSOR = Principal(id=4, roles=frozenset({Role.ASSESSOR}))
ADMIN = Principal(id=5, roles=frozenset({Role.ADMIN}))
NOBODY = AccessContext()

CONVERSATION = ConversationFacts(id=10, owner_id=1)
SIGNED_OFF = ConversationFacts(id=11, owner_id=1, signed_off=True)
TRAINS_OWNER = AccessContext(trainees=frozenset({1}))
REVIEWS_IT = AccessContext(reviewing=frozenset({10}))


def inactive(user: Principal) -> Principal:
    return user.model_copy(update={"active": False})


class TestViewConversation:
    def test_owner_sees_own(self) -> None:
        assert policy.can_view_conversation(OWNER, CONVERSATION, NOBODY)
        assert policy.can_view_report(OWNER, CONVERSATION, NOBODY)

    def test_another_practitioner_does_not(self) -> None:
        assert not policy.can_view_conversation(OTHER, CONVERSATION, NOBODY)
        assert not policy.can_view_report(OTHER, CONVERSATION, NOBODY)

    def test_trainer_sees_their_cohort_members_only(self) -> None:
        assert policy.can_view_conversation(TRAINER, CONVERSATION, TRAINS_OWNER)
        assert not policy.can_view_conversation(TRAINER, CONVERSATION, NOBODY)
        other_cohort = AccessContext(trainees=frozenset({2}))
        assert not policy.can_view_conversation(TRAINER, CONVERSATION, other_cohort)

    def test_trainee_relation_without_trainer_role_grants_nothing(self) -> None:
        assert not policy.can_view_conversation(OTHER, CONVERSATION, TRAINS_OWNER)

    def test_assessor_sees_only_what_was_submitted_to_them(self) -> None:
        assert policy.can_view_conversation(ASSESSOR, CONVERSATION, REVIEWS_IT)
        assert not policy.can_view_conversation(ASSESSOR, CONVERSATION, NOBODY)
        assert not policy.can_view_conversation(ASSESSOR, SIGNED_OFF, REVIEWS_IT)

    def test_submission_without_assessor_role_grants_nothing(self) -> None:
        assert not policy.can_view_conversation(TRAINER, CONVERSATION, REVIEWS_IT)

    def test_admin_role_alone_does_not_open_transcripts(self) -> None:
        assert not policy.can_view_conversation(ADMIN, CONVERSATION, NOBODY)

    def test_inactive_account_sees_nothing_not_even_its_own(self) -> None:
        assert not policy.can_view_conversation(inactive(OWNER), CONVERSATION, NOBODY)
        assert not policy.can_view_conversation(inactive(TRAINER), CONVERSATION, TRAINS_OWNER)
        assert not policy.can_view_conversation(inactive(ASSESSOR), CONVERSATION, REVIEWS_IT)


class TestReview:
    def test_assessor_reviews_submitted_conversation(self) -> None:
        assert policy.can_review(ASSESSOR, CONVERSATION, REVIEWS_IT)

    def test_not_submitted_or_not_assessor(self) -> None:
        assert not policy.can_review(ASSESSOR, CONVERSATION, NOBODY)
        assert not policy.can_review(TRAINER, CONVERSATION, TRAINS_OWNER)
        assert not policy.can_review(ADMIN, CONVERSATION, REVIEWS_IT)
        assert not policy.can_review(inactive(ASSESSOR), CONVERSATION, REVIEWS_IT)

    def test_never_own_attempt(self) -> None:
        both = Principal(id=1, roles=frozenset({Role.PRACTITIONER, Role.ASSESSOR}))
        assert not policy.can_review(both, CONVERSATION, REVIEWS_IT)


class TestOwnerActions:
    def test_owner_continues_and_submits_until_signed_off(self) -> None:
        assert policy.can_continue_conversation(OWNER, CONVERSATION)
        assert policy.can_submit_for_review(OWNER, CONVERSATION)
        assert not policy.can_continue_conversation(OWNER, SIGNED_OFF)
        assert not policy.can_submit_for_review(OWNER, SIGNED_OFF)

    def test_others_cannot_continue_or_submit(self) -> None:
        for user in (OTHER, TRAINER, ASSESSOR, ADMIN):
            assert not policy.can_continue_conversation(user, CONVERSATION)
            assert not policy.can_submit_for_review(user, CONVERSATION)
        assert not policy.can_continue_conversation(inactive(OWNER), CONVERSATION)

    def test_delete_own_unless_signed_off_admin_any(self) -> None:
        assert policy.can_delete_conversation(OWNER, CONVERSATION)
        assert not policy.can_delete_conversation(OWNER, SIGNED_OFF)
        assert not policy.can_delete_conversation(OTHER, CONVERSATION)
        assert not policy.can_delete_conversation(TRAINER, CONVERSATION)
        assert policy.can_delete_conversation(ADMIN, SIGNED_OFF)
        assert not policy.can_delete_conversation(inactive(ADMIN), SIGNED_OFF)

    def test_export_only_own_data(self) -> None:
        assert policy.can_export_user_data(OWNER, 1)
        assert not policy.can_export_user_data(OWNER, 2)
        assert not policy.can_export_user_data(ADMIN, 1)
        assert not policy.can_export_user_data(inactive(OWNER), 1)


class TestManagement:
    @pytest.mark.parametrize(
        ("user", "allowed"), [(ADMIN, True), (TRAINER, False), (ASSESSOR, False), (OWNER, False)]
    )
    def test_manage_users_admins_only(self, user: Principal, allowed: bool) -> None:
        assert policy.can_manage_users(user) is allowed
        assert not policy.can_manage_users(inactive(ADMIN))

    @pytest.mark.parametrize(
        ("user", "allowed"), [(ADMIN, True), (TRAINER, True), (ASSESSOR, False), (OWNER, False)]
    )
    def test_create_cohort_and_author_scenarios(self, user: Principal, allowed: bool) -> None:
        assert policy.can_create_cohort(user) is allowed
        assert policy.can_author_scenarios(user) is allowed
        assert not policy.can_create_cohort(inactive(user))
        assert not policy.can_author_scenarios(inactive(user))

    def test_manage_cohort_its_trainers_or_admin(self) -> None:
        cohort = CohortFacts(id=1, trainer_ids=frozenset({3}))
        assert policy.can_manage_cohort(TRAINER, cohort)
        assert policy.can_manage_cohort(ADMIN, cohort)
        other_trainer = Principal(id=9, roles=frozenset({Role.TRAINER}))
        assert not policy.can_manage_cohort(other_trainer, cohort)
        listed_but_not_trainer = Principal(id=3, roles=frozenset({Role.PRACTITIONER}))
        assert not policy.can_manage_cohort(listed_but_not_trainer, cohort)
        assert not policy.can_manage_cohort(ASSESSOR, cohort)
        assert not policy.can_manage_cohort(inactive(TRAINER), cohort)

    @pytest.mark.parametrize(
        ("user", "allowed"), [(ADMIN, True), (TRAINER, True), (ASSESSOR, True), (OWNER, False)]
    )
    def test_view_agreement(self, user: Principal, allowed: bool) -> None:
        assert policy.can_view_agreement(user) is allowed
        assert not policy.can_view_agreement(inactive(user))
