"""The Golden Book's eligibility rule against functions as offices write them.

The functions are collected from public sources: the Federal President's and the Federal
Foreign Office's appointment and protocol lists (German), the official English titles on the
governments' own websites (the way "their own governments write them"), and the official titles
of the partner cities' mayors. Each is read with the country and partner-city names an
installation holds (pycountry's German and English names, the partner cities with their other
customary names), as the app reads them.
"""

from __future__ import annotations

import gettext

import pycountry
import pytest

from protocol_app.directory.reference_data import PARTNER_CITIES, PARTNER_CITY_OTHER_NAMES
from protocol_app.goldenbook.eligibility import Rank, rank_of

pytestmark = pytest.mark.one_backend


def _countries() -> list[str]:
    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"]).gettext
    return [name for c in pycountry.countries for name in (getattr(c, "common_name", None) or c.name, german(c.name))]


COUNTRIES = _countries()
CITIES = [name for de, en, *_ in PARTNER_CITIES
          for name in (de, en, *(n.strip() for n in PARTNER_CITY_OTHER_NAMES.get(de, "").split(",")))]

CROWNED, FEDERAL, STATE, GOVERNMENT, FOREIGN, MAYOR = (
    Rank.CROWNED_HEAD, Rank.FEDERAL_PRESIDENT, Rank.HEAD_OF_STATE, Rank.HEAD_OF_GOVERNMENT, Rank.FOREIGN_MINISTER,
    Rank.PARTNER_CITY_MAYOR)
GUEST = None

FUNCTIONS = [
    # --- crowned heads: kings and queens, and the monarchs with other titles
    ("König von Schweden", CROWNED),
    ("Seine Majestät König Carl XVI. Gustaf von Schweden", CROWNED),
    ("Königin der Niederlande", CROWNED),
    ("His Majesty King Charles III", CROWNED),
    ("König der Belgier", CROWNED),
    ("Großherzog von Luxemburg", CROWNED),
    ("Seine Königliche Hoheit der Großherzog von Luxemburg", CROWNED),
    ("Grand Duke of Luxembourg", CROWNED),
    ("Fürst von Monaco", CROWNED),
    ("Fürst Albert II. von Monaco", CROWNED),
    ("Sovereign Prince of Monaco", CROWNED),
    ("Regierender Fürst von und zu Liechtenstein", CROWNED),
    ("Emir des Staates Katar", CROWNED),
    ("Amir of the State of Kuwait", CROWNED),
    ("Sultan von Oman", CROWNED),
    ("Sultan and Yang Di-Pertuan of Brunei Darussalam", CROWNED),
    ("Yang di-Pertuan Agong of Malaysia", CROWNED),
    ("Kaiser von Japan", CROWNED),
    ("His Majesty the Emperor of Japan", CROWNED),
    ("Kronprinz von Dänemark", GUEST),
    ("Crown Prince and Prime Minister of the Kingdom of Saudi Arabia", GOVERNMENT),
    ("Erbprinz von Liechtenstein", GUEST),
    ("Prince of Wales", GUEST),
    ("Botschafter des Vereinigten Königreichs", GUEST),
    ("Private Secretary to the King", GUEST),
    ("Hofmarschall Seiner Majestät des Königs", GUEST),
    # --- the Federal President, and presidents called "Bundespräsident" abroad
    ("Bundespräsident", FEDERAL),
    ("Bundespräsidentin", FEDERAL),
    ("Bundespräsident der Bundesrepublik Deutschland", FEDERAL),
    ("Federal President of the Federal Republic of Germany", FEDERAL),
    ("Bundespräsident der Republik Österreich", STATE),
    ("Bundespräsidentin der Schweizerischen Eidgenossenschaft", STATE),
    ("Alt-Bundespräsident", GUEST),
    ("Leiterin des Büros der Bundespräsidentin", GUEST),
    # --- heads of state, as the office and as their own governments write them
    ("Präsident der Französischen Republik", STATE),
    ("President of the French Republic", STATE),
    ("Präsident der Republik Polen", STATE),
    ("President of the Republic of Poland", STATE),
    ("Präsident Polens", STATE),
    ("Präsidentin Litauens", STATE),
    ("President of Lithuania", STATE),
    ("Präsident der Ukraine", STATE),
    ("President of Ukraine", STATE),
    ("Präsident der Vereinigten Staaten von Amerika", STATE),
    ("President of the United States of America", STATE),
    ("Präsident der Föderativen Republik Brasilien", STATE),
    ("President of the Federative Republic of Brazil", STATE),
    ("Präsident der Vereinigten Mexikanischen Staaten", STATE),
    ("Präsident des Staates Israel", STATE),
    ("President of the State of Israel", STATE),
    ("Präsident der Volksrepublik China", STATE),
    ("President of the People's Republic of China", STATE),
    ("Präsident der Russischen Föderation", STATE),
    ("President of the Swiss Confederation", STATE),
    ("Präsident der Republik Korea", STATE),
    ("Präsident der Vereinigten Arabischen Emirate", STATE),
    ("Staatspräsident", STATE),
    ("Staatspräsidentin der Republik Estland", STATE),
    ("der polnische Präsident", STATE),
    ("Polish President", STATE),
    ("Präsident Georgiens", STATE),
    ("Präsident Frankreichs", STATE),
    ("Präsident der Türkei", STATE),
    ("Generalsekretär der Kommunistischen Partei Chinas und Präsident der Volksrepublik China", STATE),
    ("Papst Leo XIV.", STATE),
    ("Seine Heiligkeit Papst Franziskus", STATE),
    ("Captain Regent of the Republic of San Marino", STATE),
    ("Generalgouverneurin von Kanada", STATE),
    ("Governor General of Australia", STATE),
    # other organs of a republic: not its head of state
    ("Präsident des Nationalrats der Republik Österreich", GUEST),
    ("Präsident des Senats der Republik Polen", GUEST),
    ("President of the Senate of the Republic of Poland", GUEST),
    ("Präsident der Nationalversammlung der Republik Korea", GUEST),
    ("Präsident des Verfassungsgerichts der Tschechischen Republik", GUEST),
    ("President of the Supreme Court of the Republic of Lithuania", GUEST),
    ("Präsident der Zentralbank der Republik Türkei", GUEST),
    ("Präsidentin der Europäischen Kommission", GUEST),
    ("President of the European Council", GUEST),
    ("Präsident des Europäischen Parlaments", GUEST),
    ("Präsident des Deutschen Bundestages", GUEST),
    ("Präsident des Bundesamts für Statistik", GUEST),
    ("Präsident des Internationalen Olympischen Komitees", GUEST),
    ("President of the State Bank of Vietnam", GUEST),
    ("Präsident, Deutsche Bank", GUEST),
    ("Vizepräsident der Republik", GUEST),
    ("Vice President of the United States", GUEST),
    ("President-elect of the Republic of Chile", GUEST),
    ("Berater des Präsidenten", GUEST),
    ("Chief of Protocol to the President of the Republic of Poland", GUEST),
    ("Ehefrau des Präsidenten der Republik Polen", GUEST),
    ("Wife of the President of the Republic of Korea", GUEST),
    ("Ehrenpräsident des Deutschen Fußball-Bundes", GUEST),
    # former holders, however written
    ("ehemaliger Bundeskanzler", GUEST),
    ("früherer Präsident der Republik Polen", GUEST),
    ("Altbundeskanzler", GUEST),
    ("Ex-Präsident Frankreichs", GUEST),
    ("Former Prime Minister of the United Kingdom", GUEST),
    ("Präsident der Republik Chile a. D.", GUEST),
    ("Premierminister des Vereinigten Königreichs 1997–2007", GUEST),
    ("President of Finland until 2024", GUEST),
    ("Past President of the Republic of Ireland", GUEST),
    # --- heads of government
    ("Premierminister", GOVERNMENT),
    ("Premierministerin des Vereinigten Königreichs", GOVERNMENT),
    ("Prime Minister of the United Kingdom of Great Britain and Northern Ireland", GOVERNMENT),
    ("Ministerpräsident der Republik Polen", GOVERNMENT),
    ("Präsident des Ministerrates der Republik Polen", GOVERNMENT),
    ("President of the Council of Ministers of the Republic of Poland", GOVERNMENT),
    ("Präsident der Regierung des Königreichs Spanien", GOVERNMENT),
    ("President of the Government of Spain", GOVERNMENT),
    ("Presidente del Consiglio dei Ministri", GOVERNMENT),
    ("Bundeskanzler der Republik Österreich", GOVERNMENT),
    ("Federal Chancellor of the Republic of Austria", GOVERNMENT),
    ("Bundeskanzlerin", GOVERNMENT),
    ("Taoiseach", GOVERNMENT),
    ("Premier of the State Council of the People's Republic of China", GOVERNMENT),
    ("Ministerpräsident des Freistaates Bayern", GOVERNMENT),
    ("First Minister of Scotland", GOVERNMENT),
    ("Chairman of the Council of Ministers of Bosnia and Herzegovina", GOVERNMENT),
    ("Chancellor of the Exchequer", GUEST),
    ("Kanzler der Freien Universität Berlin", GUEST),
    ("stellvertretende Ministerpräsidentin", GUEST),
    ("Chief of Staff to the Prime Minister", GUEST),
    ("Minister of State at the Prime Minister's Office", GUEST),
    ("Staatsminister beim Bundeskanzler", GUEST),
    # --- foreign ministers, by their ministries' official titles too
    ("Außenministerin", FOREIGN),
    ("Außenminister der Republik Polen", FOREIGN),
    ("Bundesminister des Auswärtigen", FOREIGN),
    ("Minister für Europa und auswärtige Angelegenheiten der Französischen Republik", FOREIGN),
    ("Minister for Europe and Foreign Affairs", FOREIGN),
    ("Minister für auswärtige und europäische Angelegenheiten", FOREIGN),
    ("Minister of Foreign and European Affairs of the Slovak Republic", FOREIGN),
    ("Bundesministerin für europäische und internationale Angelegenheiten der Republik Österreich", FOREIGN),
    ("Federal Minister for European and International Affairs", FOREIGN),
    ("Minister for Foreign Affairs and Trade of Ireland", FOREIGN),
    ("Minister of Foreign Affairs of the Republic of Lithuania", FOREIGN),
    ("Secretary of State for Foreign, Commonwealth and Development Affairs", FOREIGN),
    ("Foreign Secretary", FOREIGN),
    ("Secretary of State of the United States", FOREIGN),
    ("US Secretary of State", FOREIGN),
    ("Minister of External Affairs of India", FOREIGN),
    ("Minister of International Relations and Cooperation of South Africa", FOREIGN),
    ("Vorsteher des Eidgenössischen Departements für auswärtige Angelegenheiten", FOREIGN),
    ("Head of the Federal Department of Foreign Affairs", FOREIGN),
    ("Außen- und Europaminister", FOREIGN),
    ("Ministre des Affaires étrangères", FOREIGN),
    ("Secretario de Relaciones Exteriores", FOREIGN),
    ("Ministerialdirektorin, Außenministerium Schwedens", GUEST),
    ("Staatssekretär im Auswärtigen Amt", GUEST),
    ("Staatsministerin für Europa im Auswärtigen Amt", GUEST),
    ("Minister of State for Foreign Affairs", GUEST),
    ("Permanent Secretary of the Ministry of Foreign Affairs", GUEST),
    ("Minister for Foreign Trade and Development Cooperation", GUEST),
    ("Stellvertretender Außenminister", GUEST),
    ("Minister of Foreign Affairs 2019-2023", GUEST),
    ("Deputy Prime Minister and Minister of Foreign Affairs", FOREIGN),
    ("Federal Councillor, Head of the FDFA", FOREIGN),
    # --- mayors of the partner cities, under every customary name of the city
    ("Bürgermeisterin von Paris", MAYOR),
    ("Maire de Paris", MAYOR),
    ("Oberbürgermeister von Warschau", MAYOR),
    ("Stadtpräsident Warschaus", MAYOR),
    ("Prezydent m.st. Warszawy", MAYOR),
    ("President of the City of Warsaw", MAYOR),
    ("Primátor hlavního města Prahy", MAYOR),
    ("Oberbürgermeister der Hauptstadt Prag", MAYOR),
    ("Mayor of Prague", MAYOR),
    ("Bürgermeister von Kiew", MAYOR),
    ("Mayor of Kyiv", MAYOR),
    ("Mayor of Kiev", MAYOR),
    ("Governor of Tokyo", MAYOR),
    ("Gouverneurin der Präfektur Tokio", MAYOR),
    ("Mayor of Beijing", MAYOR),
    ("Bürgermeister von Peking", MAYOR),
    ("Jefa de Gobierno de la Ciudad de México", MAYOR),
    ("Regierungschefin von Mexiko-Stadt", MAYOR),
    ("Head of Government of the City of Buenos Aires", MAYOR),
    ("Jefe de Gobierno de la Ciudad Autónoma de Buenos Aires", MAYOR),
    ("Bourgmestre de la Ville de Bruxelles", MAYOR),
    ("Burgemeester van Brussel", MAYOR),
    ("Bürgermeister von Brüssel", MAYOR),
    ("Oberbürgermeister von Budapest", MAYOR),
    ("Hokim of Tashkent", MAYOR),
    ("Chokim von Taschkent", MAYOR),
    ("Governor of Jakarta", MAYOR),
    ("Gouverneur von Djakarta", MAYOR),
    ("Mayor of Windhoek", MAYOR),
    ("Bürgermeisterin von Windhuk", MAYOR),
    ("Mayor of London", MAYOR),
    ("Alcalde de Madrid", MAYOR),
    ("Mayor of Los Angeles", MAYOR),
    ("Oberbürgermeister von Istanbul", MAYOR),
    ("Mayor of Istanbul Metropolitan Municipality", MAYOR),
    ("Bürgermeister von Moskau", MAYOR),
    ("Regierender Bürgermeister von Berlin", GUEST),
    ("Oberbürgermeister der Landeshauptstadt München", GUEST),
    ("Erste Beigeordnete der Bürgermeisterin von Paris", GUEST),
    ("Adjointe à la Maire de Paris", GUEST),
    ("First Deputy Mayor of Warsaw", GUEST),
    ("Präsident der Universität Warschau", GUEST),
    ("Governor of the Bank of England", GUEST),
    # --- everyone else signs the Gästebuch
    ("Ministerialdirektor", GUEST),
    ("Generalsekretär der Vereinten Nationen", GUEST),
    ("Minister für Wirtschaft und Klimaschutz", GUEST),
    ("Präsidentin des Abgeordnetenhauses von Berlin", GUEST),
    ("Vorsitzender des Zentralrats der Juden in Deutschland", GUEST),
]


def test_the_table_covers_at_least_a_hundred_functions_of_every_kind():
    assert len(FUNCTIONS) >= 100
    assert len({function for function, _ in FUNCTIONS}) == len(FUNCTIONS)
    assert {rank for _, rank in FUNCTIONS} == {*Rank, None}


@pytest.mark.parametrize(("function", "rank"), FUNCTIONS)
def test_the_rule_reads_the_function_as_offices_write_it(function, rank):
    assert rank_of(function, countries=COUNTRIES, partner_cities=CITIES) == rank


def test_a_mayor_is_a_partner_citys_on_a_partner_citys_visit_without_naming_the_city():
    assert rank_of("Bürgermeister", partner_city_occasion=True) == MAYOR
    assert rank_of("Bürgermeister", partner_city_occasion=False) is GUEST
    # the head of state on a partner city's visit is still the head of state
    assert rank_of("Präsident der Französischen Republik", partner_city_occasion=True) == STATE
