import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path", ["/", "/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]
)
def test_public_pages_are_accessible(page, assert_accessible, path):
    page.goto(path)
    assert page.locator("header.fr-header").is_visible()
    assert_accessible(page)
