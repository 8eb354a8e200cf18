-- Cities that have at least one institution, main cities first.
with final as (
    select distinct city from institutions
)
select * from final
order by city not in ('Chengdu', 'Chongqing'), city
