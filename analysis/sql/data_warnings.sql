-- Caveats about the loaded data, shown in the data status panel (count per kind of caveat).
with final as (
    select 'city_precision' as warning,
           count(*) filter (where geo_precision = 'city') as n from institutions
    union all
    select 'no_population', count(*) filter (where population is null) from districts
    union all
    select 'no_agreement', count(*) from institutions i
    where not exists (select 1 from agreement_facts a where i.id in (a.party_a_id, a.party_b_id))
)
select * from final
