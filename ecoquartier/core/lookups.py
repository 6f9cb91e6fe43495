"""Lookups that keep request input from reaching the database as an error."""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`pk__in=[10**26]` matches nothing, as `pk=10**26` has since Django 5.0
    (IntegerFieldOverflow): SQLite raised OverflowError for it, a 500 wherever a form's
    multiple choice or a view's list of ids carried a number no column can hold."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
