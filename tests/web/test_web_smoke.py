def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_visitor_case_is_screened(make_case):
    case = make_case()
    assert case.screening[0]["name"] == "Li Wei"
    employer = next(s for s in case.screening if s["role"] == "employer")
    assert employer["alert"] is True
    assert employer["matches"][0]["party"]["list"] == "us_entity_list"
