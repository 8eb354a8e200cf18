-- Run once per data version after _setup.sql (and kept in the validated cache file):
-- agreement counts pre-aggregated along every column the shared filters and the count
-- queries use, so a view change sums a few thousand rows instead of scanning every agreement.
-- A query that needs single agreements or institutions (ids, titles, distinct partners)
-- still reads agreement_facts.

-- One row per year, kind, illustrative flag and pair of (city, district, type) ends.
create or replace table pair_counts as
select year, kind, illustrative, cross_city, city_pair, a_type, b_type, a_city, b_city,
       a_district, b_district, count(*)::bigint as agreements
from agreement_facts
group by all
order by year;

-- The same rows as filtered_agreements(...) would give, counted: sum(agreements), not count(*).
create or replace macro filtered_pair_counts(year_from, year_to, cities, kinds, include_illustrative) as table
    select * from pair_counts
    where year between year_from and year_to
      and (list_contains(cities, a_city) or list_contains(cities, b_city))
      and list_contains(kinds, kind)
      and (include_illustrative or not illustrative);

-- Each agreement at each of its two parties: one row per institution, partner city, year,
-- kind and illustrative flag.
create or replace table institution_counts as
with ends as (
    select party_a_id as id, a_city as city, b_city as partner_city, year, kind, illustrative
    from agreement_facts
    union all
    select party_b_id, b_city, a_city, year, kind, illustrative
    from agreement_facts
)
select id, city, partner_city, year, kind, illustrative, count(*)::bigint as agreements
from ends
group by all
order by year;

-- An institution's agreements under the shared filters (the same test as filtered_agreements:
-- either party's city chosen).
create or replace macro filtered_institution_counts(year_from, year_to, cities, kinds, include_illustrative) as table
    select * from institution_counts
    where year between year_from and year_to
      and (list_contains(cities, city) or list_contains(cities, partner_city))
      and list_contains(kinds, kind)
      and (include_illustrative or not illustrative);

-- The schools each base reached through base_school agreements (party A is the base, party B
-- the school), one row per year, illustrative flag, base city and district, school city and
-- school: what the compare page's "schools reached" counts distinct.
create or replace table school_reach as
-- school_id is an integer here (distinct counts of integers are several times faster).
with reach as (
    select distinct year, illustrative, a_city, a_district, b_city, party_b_id
    from agreement_facts
    where kind = 'base_school'
)
select year::smallint as year, illustrative, a_city, a_district, b_city,
       dense_rank() over (order by party_b_id)::integer as school_id
from reach
order by year;

-- Agreements (summed per place pair) as they touch cities: once per city they touch, even when
-- both parties are in it; `city_level` when the party in that city has no district.
create or replace macro city_touches(year_from, year_to, cities, kinds, include_illustrative) as table
    select year, a_city as city,
           a_district is null or (b_city = a_city and b_district is null) as city_level,
           agreements as n
    from filtered_pair_counts(year_from, year_to, cities, kinds, include_illustrative)
    union all
    select year, b_city, b_district is null, agreements
    from filtered_pair_counts(year_from, year_to, cities, kinds, include_illustrative)
    where b_city <> a_city;

-- Institutions per city, those known only to city level among them.
create or replace macro city_institutions(cities, include_illustrative) as table
    select city,
           count(*) as institutions,
           count(*) filter (where type = 'base') as bases,
           count(*) filter (where type = 'school') as schools,
           count(*) filter (where district_code is null) as city_level_institutions
    from filtered_institutions(cities, include_illustrative)
    group by city;
