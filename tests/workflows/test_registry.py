from casework import services
from casework.steps import available_transitions
from tests.base import BaseTestCase


class AvailableTransitionsTests(BaseTestCase):
    def test_steps_are_listed_in_the_order_of_the_case_types_table(self):
        case = services.case_transition(
            case=self.case, name="start_assessment", user=self.owner
        )
        names = [name for name, _label in available_transitions(case, self.owner)]
        self.assertEqual(
            names, ["close_without_action", "send_warning", "send_intention"]
        )

    def test_a_user_off_the_team_gets_no_steps(self):
        self.assertEqual(available_transitions(self.case, self.outsider), [])
