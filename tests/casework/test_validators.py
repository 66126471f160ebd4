"""Validators for Dutch identifiers: BSN, KvK, postcode, BAG id."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.utils import translation

from casework import validators
from tests.factories import valid_bsn


class BsnTests(SimpleTestCase):
    def test_valid_bsns_pass_the_elfproef(self):
        # 111222333: 9·1+8·1+7·1+6·2+5·2+4·2+3·3+2·3 = 69, 69 − 3 = 66 = 6·11.
        # 123456782: 9·1+8·2+7·3+6·4+5·5+4·6+3·7+2·8 = 156, 156 − 2 = 154 = 14·11.
        for bsn in ("111222333", "123456782"):
            with self.subTest(bsn=bsn):
                self.assertIs(validators.bsn_is_valid(bsn), True)
                validators.validate_bsn(bsn)

    def test_a_wrong_check_digit_fails(self):
        # 111222334: 69 − 4 = 65, not divisible by 11.
        self.assertIs(validators.bsn_is_valid("111222334"), False)
        self.assertIs(validators.bsn_is_valid("123456781"), False)

    def test_eight_digits_fail(self):
        self.assertIs(validators.bsn_is_valid("12345678"), False)

    def test_ten_digits_fail(self):
        self.assertIs(validators.bsn_is_valid("1112223330"), False)

    def test_letters_fail(self):
        self.assertIs(validators.bsn_is_valid("11122233a"), False)
        self.assertIs(validators.bsn_is_valid("abcdefghi"), False)

    def test_all_zeros_fail_although_the_sum_is_divisible(self):
        self.assertIs(validators.bsn_is_valid("000000000"), False)

    def test_validate_bsn_raises_with_the_message_and_code(self):
        with translation.override("en"):
            with self.assertRaisesMessage(
                ValidationError,
                "Enter a valid BSN: nine digits that pass the eleven test.",
            ) as caught:
                validators.validate_bsn("111222334")
        self.assertEqual(caught.exception.code, "invalid_bsn")

    def test_factory_bsns_are_valid(self):
        for n in range(50):
            self.assertIs(validators.bsn_is_valid(valid_bsn(n)), True, n)


class KvkTests(SimpleTestCase):
    def test_eight_digits_pass(self):
        validators.validate_kvk("12345678")
        validators.validate_kvk("01234567")

    def test_anything_else_fails(self):
        for value in ("1234567", "123456789", "1234567a", "1234 5678", ""):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError) as caught:
                    validators.validate_kvk(value)
                self.assertEqual(caught.exception.code, "invalid_kvk")


class PostcodeTests(SimpleTestCase):
    def test_normalise_adds_the_space_and_upper_cases(self):
        self.assertEqual(validators.normalise_postcode("5911ab"), "5911 AB")
        self.assertEqual(validators.normalise_postcode(" 5911  ab "), "5911 AB")
        self.assertEqual(validators.normalise_postcode("5911 AB"), "5911 AB")

    def test_valid_postcodes_pass(self):
        for value in ("5911 AB", "1012 JS", "9999 ZZ"):
            with self.subTest(value=value):
                validators.validate_postcode(value)

    def test_a_leading_zero_fails(self):
        with self.assertRaises(ValidationError) as caught:
            validators.validate_postcode("0123 AB")
        self.assertEqual(caught.exception.code, "invalid_postcode")

    def test_the_letter_pairs_sa_sd_ss_are_not_used(self):
        for value in ("1234 SA", "1234 SD", "1234 SS"):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError):
                    validators.validate_postcode(value)

    def test_malformed_postcodes_fail(self):
        for value in ("5911", "5911 A", "5911 ABC", "591 AB", "ABCD 12", "", "5911 ab"):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError):
                    validators.validate_postcode(value)


class BagIdTests(SimpleTestCase):
    def test_sixteen_digits_pass(self):
        validators.validate_bag_id("0983010000012345")

    def test_other_lengths_and_letters_fail(self):
        for value in ("098301000001234", "09830100000123456", "098301000001234a"):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError) as caught:
                    validators.validate_bag_id(value)
                self.assertEqual(caught.exception.code, "invalid_bag_id")
