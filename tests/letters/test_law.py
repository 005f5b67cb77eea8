from __future__ import annotations

import pytest

from dsar.letters.law import REGIMES, regime, regime_for_country


def test_it_picks_the_regime_by_the_addressees_country() -> None:
    assert regime_for_country("IE") == "gdpr"
    assert regime_for_country("GB-SCT") == "uk_gdpr"
    assert regime_for_country("ch") == "ch_fadp"
    assert regime_for_country("US") == "third_country"
    assert regime_for_country("CN") == "third_country"
    assert regime_for_country("") == "gdpr"


def test_it_gives_swiss_articles_and_the_fdpic() -> None:
    swiss = regime("ch_fadp")
    assert (swiss.articles.access, swiss.articles.erasure, swiss.period_days) == ("25", "32(2)(c)", 30)
    assert swiss.authority_kind == "fdpic"
    assert swiss.articles.complaint != "77"
    assert not swiss.cites_gdpr


def test_it_says_both_laws_when_the_gdpr_also_applies() -> None:
    both = regime("ch_fadp", gdpr_also_applies=True)
    assert both.cites_gdpr and both.territorial_basis == "3(2)(b)"
    assert REGIMES["ch_fadp"].gdpr_also_applies is False  # the registry is not changed


def test_it_treats_cjeu_rulings_as_persuasive_in_the_uk() -> None:
    uk = regime("uk_gdpr")
    assert uk.case_law == "persuasive" and uk.authority_kind == "ico" and uk.home_area == "uk"
    assert uk.clock_law == "uk_gdpr"


def test_it_asks_a_third_country_controller_for_its_representative() -> None:
    us = regime("third_country")
    assert us.asks_representative and us.territorial_basis == "3(2)(b)" and us.clock_law == "gdpr"


def test_it_refuses_an_unknown_regime() -> None:
    with pytest.raises(ValueError, match="unknown law regime"):
        regime("us_ccpa")
