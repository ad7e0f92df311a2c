"""an awardee's case keeps the id of its entry on the ceremony's guest list (no more joining by
name); entries the name join found before keep their link

Revision ID: 0043_awardee_guest_id
Revises: 0042_visit_item_booking
Create Date: 2026-12-07 17:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0043_awardee_guest_id'
down_revision = '0042_visit_item_booking'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('nominations') as batch_op:
        batch_op.add_column(sa.Column('ceremony_guest_id', sa.Integer(), nullable=True))
    connection = op.get_bind()
    cases = connection.execute(sa.text(
        "SELECT n.id, n.nominee_name, n.award_date, t.occasion_id FROM nominations n "
        "JOIN award_types t ON t.id = n.award_type_id "
        "WHERE n.award_date IS NOT NULL AND t.occasion_id IS NOT NULL")).all()
    for case_id, name, award_date, occasion_id in cases:
        year = award_date.year if hasattr(award_date, "year") else int(str(award_date)[:4])
        guest_id = connection.execute(sa.text(
            "SELECT MIN(g.id) FROM event_guests g JOIN events e ON e.id = g.event_id "
            "WHERE e.occasion_id = :occasion AND e.year = :year AND g.category = 'honour_holders' "
            "AND lower(trim(g.name)) = lower(trim(:name))"),
            {"occasion": occasion_id, "year": year, "name": name}).scalar()
        if guest_id is not None:
            connection.execute(sa.text("UPDATE nominations SET ceremony_guest_id = :guest WHERE id = :id"),
                               {"guest": guest_id, "id": case_id})


def downgrade():
    with op.batch_alter_table('nominations') as batch_op:
        batch_op.drop_column('ceremony_guest_id')
