-- Caveats about the loaded data, shown in the data status panel (count per kind of caveat).
with partners as (
    select party_a_id as id from agreement_facts
    union
    select party_b_id from agreement_facts
),
final as (
    select 'city_precision' as warning,
           count(*) filter (where geo_precision = 'city') as n from institutions
    union all
    select 'no_population', count(*) filter (where population is null) from districts
    union all
    select 'no_agreement', count(*) from institutions i anti join partners p on p.id = i.id
)
select * from final
