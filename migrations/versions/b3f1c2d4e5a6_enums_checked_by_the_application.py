"""enum columns: no CHECK constraint listing the values

Each enum column (modality, states, kinds...) had a CHECK constraint listing its
values, so adding a value needed a migration (and on SQLite a table rebuild).
The values are now checked by SQLAlchemy's Enum type on every write
(elearn.database.string_enum), and adding one touches only the enum and the
translation catalog. Downgrading puts the constraints back with today's values.

Revision ID: b3f1c2d4e5a6
Revises: 8d1e0c4a7b21
Create Date: 2026-12-06 05:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3f1c2d4e5a6'
down_revision = '8d1e0c4a7b21'
branch_labels = None
depends_on = None

# (table, column, enum name, the values allowed when the constraint was dropped)
ENUM_COLUMNS = (
    ('course', 'audience', 'course_audience', ('mps', 'staff', 'both')),
    ('outbox_message', 'status', 'outbox_status', ('pending', 'sending', 'sent', 'failed')),
    ('programme', 'kind', 'programme_kind', ('bilateral', 'multilateral')),
    ('programme', 'status', 'programme_status', ('planned', 'active', 'closed')),
    ('person', 'kind', 'person_kind', ('mp', 'staff', 'officer', 'expert')),
    ('person', 'gender', 'gender', ('woman', 'man', 'another', 'prefer_not_to_say')),
    ('person', 'political_side', 'political_side', ('ruling', 'opposition', 'independent', 'not_stated')),
    ('person', 'role', 'role', ('learner', 'focal_point', 'trainer', 'admin')),
    ('activity', 'modality', 'modality', (
        'training_workshop', 'seminar', 'regional_seminar', 'exchange_visit', 'training_period', 'shadowing',
        'international_mentoring', 'remote_assistance', 'induction_programme', 'dialogue_facilitation', 'briefing',
        'live_elearning', 'needs_assessment_mission', 'technical_assistance_mission', 'information_mission')),
    ('activity', 'audience', 'audience', ('mps', 'staff', 'both')),
    ('activity', 'status', 'activity_status', ('draft', 'published', 'cancelled', 'completed')),
    ('audit_event', 'action', 'audit_action', (
        'political_side_read', 'political_side_changed', 'role_changed', 'login_failed', 'access_refused',
        'csrf_refused')),
    ('needs_request', 'kind', 'support_kind', ('training', 'advice', 'exchange', 'text_expertise', 'equipment')),
    ('needs_request', 'status', 'request_status', ('received', 'under_assessment', 'accepted', 'declined', 'closed')),
    ('needs_request', 'audience', 'audience', ('mps', 'staff', 'both')),
    ('needs_request', 'preferred_modality', 'modality', (
        'training_workshop', 'seminar', 'regional_seminar', 'exchange_visit', 'training_period', 'shadowing',
        'international_mentoring', 'remote_assistance', 'induction_programme', 'dialogue_facilitation', 'briefing',
        'live_elearning', 'needs_assessment_mission', 'technical_assistance_mission', 'information_mission')),
    ('one_time_token', 'purpose', 'token_purpose', ('password_reset', 'invitation')),
    ('political_affiliation', 'side', 'political_side', ('ruling', 'opposition', 'independent', 'not_stated')),
    ('quiz_question', 'kind', 'question_kind', ('single', 'multiple')),
    ('registration', 'state', 'registration_state', ('requested', 'confirmed', 'waitlisted', 'declined', 'withdrawn')),
    ('attendance', 'status', 'attendance_status', ('present', 'absent', 'excused')),
    ('commitment', 'owner', 'commitment_owner', ('partner', 'assisting')),
    ('commitment', 'status', 'commitment_status', ('planned', 'in_progress', 'done', 'dropped')),
)


def _by_table():
    tables: dict[str, list] = {}
    for table, column, name, values in ENUM_COLUMNS:
        tables.setdefault(table, []).append((column, name, values))
    return tables


def upgrade():
    for table, columns in _by_table().items():
        with op.batch_alter_table(table, recreate='auto') as batch_op:
            for _column, name, _values in columns:
                batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')


def downgrade():
    for table, columns in _by_table().items():
        with op.batch_alter_table(table, recreate='auto') as batch_op:
            for column, name, values in columns:
                allowed = ", ".join(f"'{value}'" for value in values)
                batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'), f"{column} IN ({allowed})")
