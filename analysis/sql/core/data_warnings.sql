-- Caveats about the loaded data, shown in the data status panel (count per kind of caveat).
with partners as (  -- institution_counts: each agreement at each party, pre-aggregated
    select distinct id from institution_counts
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
